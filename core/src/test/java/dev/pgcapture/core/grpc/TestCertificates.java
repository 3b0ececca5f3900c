package dev.pgcapture.core.grpc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * Certificates made for one test, as PEM files in a directory: a CA, a server certificate for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1} signed by it, a client certificate signed
 * by it, and a second, unrelated CA with a client certificate of its own (one the servers must
 * refuse). Keys are EC P-256 in PKCS#8, as {@code openssl genpkey} writes them.
 */
public final class TestCertificates {

    /** A certificate file and its private-key file. */
    public record Pem(Path cert, Path key) {
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path caCert;
    private final Pem server;
    private final Pem client;
    private final Path otherCaCert;
    private final Pem otherClient;

    private TestCertificates(Path caCert, Pem server, Pem client, Path otherCaCert, Pem otherClient) {
        this.caCert = caCert;
        this.server = server;
        this.client = client;
        this.otherCaCert = otherCaCert;
        this.otherClient = otherClient;
    }

    /** Makes every certificate and writes them into {@code dir}. */
    public static TestCertificates create(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPair caKeys = keys();
        X509Certificate ca = caCertificate("CN=pgcapture test CA", caKeys);
        KeyPair otherKeys = keys();
        X509Certificate otherCa = caCertificate("CN=some other CA", otherKeys);
        Path caFile = write(dir.resolve("ca.pem"), "CERTIFICATE", ca.getEncoded());
        Path otherCaFile = write(dir.resolve("other-ca.pem"), "CERTIFICATE", otherCa.getEncoded());
        Pem server = leaf(dir, "server", "CN=localhost", true, ca, caKeys);
        Pem client = leaf(dir, "client", "CN=pgcapture test client", false, ca, caKeys);
        Pem otherClient = leaf(dir, "other-client", "CN=stranger", false, otherCa, otherKeys);
        return new TestCertificates(caFile, server, client, otherCaFile, otherClient);
    }

    /** The CA that signed the server and client certificates (PEM). */
    public Path caCert() {
        return caCert;
    }

    /** The server's certificate (localhost, 127.0.0.1, ::1) and key. */
    public Pem server() {
        return server;
    }

    /** A client certificate signed by {@link #caCert()}. */
    public Pem client() {
        return client;
    }

    /** An unrelated CA (PEM). */
    public Path otherCaCert() {
        return otherCaCert;
    }

    /** A client certificate signed by {@link #otherCaCert()}, not by {@link #caCert()}. */
    public Pem otherClient() {
        return otherClient;
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate caCertificate(String subject, KeyPair keys) throws GeneralSecurityException, IOException {
        X500Name name = new X500Name(subject);
        X509v3CertificateBuilder builder = builder(name, name, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return sign(builder, keys);
    }

    private static Pem leaf(Path dir, String name, String subject, boolean server, X509Certificate issuer, KeyPair issuerKeys)
            throws GeneralSecurityException, IOException {
        KeyPair keys = keys();
        X509v3CertificateBuilder builder = builder(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                new X500Name(subject), keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        if (server) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")}));
        }
        X509Certificate cert = sign(builder, issuerKeys);
        Path certFile = write(dir.resolve(name + ".pem"), "CERTIFICATE", cert.getEncoded());
        Path keyFile = write(dir.resolve(name + "-key.pem"), "PRIVATE KEY", keys.getPrivate().getEncoded());
        return new Pem(certFile, keyFile);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
    }

    /**
     * Signs with the JDK's SHA256withECDSA directly: BouncyCastle's own signer builder needs a
     * newer bcprov than the one the Pulsar BOM manages.
     */
    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException, IOException {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(signer.getPrivate());
        ByteArrayOutputStream tbs = new ByteArrayOutputStream();
        ContentSigner contentSigner = new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                try {
                    signature.update(tbs.toByteArray());
                    return signature.sign();
                } catch (SignatureException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(builder.build(contentSigner).getEncoded()));
    }

    private static Path write(Path file, String type, byte[] der) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
