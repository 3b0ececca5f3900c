package dev.pgcapture.core.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM files through gRPC's credential builders, turning their errors into messages that name the file and its role. */
final class PemFiles {

    interface One {
        void read(Path file) throws IOException;
    }

    interface Two {
        void read(Path first, Path second) throws IOException;
    }

    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemFiles() {
    }

    static void read(String what, Path file, One reader) {
        checkReadable(what, file);
        try {
            reader.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a certificate chain and its private key, after checking that the key is PKCS#8 and belongs to the first certificate. */
    static void read(String firstWhat, Path first, String secondWhat, Path second, Two reader) {
        checkReadable(firstWhat, first);
        checkReadable(secondWhat, second);
        checkKeyPair(firstWhat, first, secondWhat, second);
        try {
            reader.read(first, second);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the " + firstWhat + " " + first + " or the " + secondWhat + " "
                    + second + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code keyFile} holds an unencrypted PKCS#8 key of the first certificate of
     * {@code certFile}, by signing with the one and verifying with the other: gRPC would accept a
     * mismatched pair and fail every handshake later.
     */
    static void checkKeyPair(String certWhat, Path certFile, String keyWhat, Path keyFile) {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("the " + certWhat + " " + certFile + " holds no PEM certificate");
            }
            cert = (X509Certificate) chain.iterator().next();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the " + certWhat + " " + certFile + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
        String pem;
        try {
            pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + keyWhat + " " + keyFile + ": " + e.getMessage(), e);
        }
        Matcher matcher = PKCS8.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException("the " + keyWhat + " " + keyFile + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY);"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in " + keyFile + " -out key.pk8.pem");
        }
        String algorithm = cert.getPublicKey().getAlgorithm();
        boolean matches;
        try {
            PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(matcher.group(1))));
            String signatureAlgorithm = switch (algorithm) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                default -> algorithm; // EdDSA, Ed25519, Ed448 sign without a separate digest
            };
            byte[] probe = "pgcapture key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(signatureAlgorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + keyWhat + " " + keyFile + " is not a " + algorithm + " key of the " + certWhat
                    + " " + certFile + ": " + e.getMessage(), e);
        }
        if (!matches) {
            throw new IllegalArgumentException("the " + keyWhat + " " + keyFile + " does not belong to the " + certWhat + " " + certFile);
        }
    }

    static void checkReadable(String what, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the " + what + " " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("the " + what + " " + file + " is not readable");
        }
    }
}
