package dev.pgcapture.core.grpc;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a pgcapture client connects to a pgcapture server: plaintext or TLS (trusting the CA
 * certificates of a PEM file, or the JVM's default trust store), optionally presenting a client
 * certificate, and optionally sending a bearer token with every call
 * ({@link BearerTokenCredentials}: over TLS or to a loopback address only, unless plaintext
 * tokens are allowed explicitly). Files are read when the value is built, so a bad file fails at
 * start-up with a message naming it. {@link #toString()} never shows the token.
 */
public final class ClientSecurity {

    private static final ClientSecurity PLAINTEXT = new ClientSecurity(InsecureChannelCredentials.create(), Optional.empty(),
            "plaintext, no bearer token");

    private final ChannelCredentials transport;
    private final Optional<CallCredentials> callCredentials;
    private final String description;

    private ClientSecurity(ChannelCredentials transport, Optional<CallCredentials> callCredentials, String description) {
        this.transport = transport;
        this.callCredentials = callCredentials;
        this.description = description;
    }

    /** Plaintext without a token: what every client did before security existed. */
    public static ClientSecurity plaintext() {
        return PLAINTEXT;
    }

    /** A builder; with nothing set it builds {@link #plaintext()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The channel credentials: TLS or plaintext, with the bearer token as call credentials when one is set. */
    public ChannelCredentials channelCredentials() {
        return callCredentials.map(call -> CompositeChannelCredentials.create(transport, call)).orElse(transport);
    }

    /** The bearer token's call credentials, if a token is set. */
    public Optional<CallCredentials> callCredentials() {
        return callCredentials;
    }

    /** Whether connections are TLS. */
    public boolean tls() {
        return !(transport instanceof InsecureChannelCredentials);
    }

    /**
     * A new channel to {@code target} ({@code host:port}) with these credentials, owned by the
     * caller. It accepts messages as large as our servers do ({@link GrpcServer#DEFAULT_MAX_MESSAGE_BYTES}).
     */
    public ManagedChannel open(String target) {
        return NettyChannelBuilder.forTarget(target, channelCredentials()).maxInboundMessageSize(GrpcServer.DEFAULT_MAX_MESSAGE_BYTES).build();
    }

    /** E.g. {@code TLS (CA ca.pem, client certificate client.pem), bearer token from token.txt}. */
    @Override
    public String toString() {
        return description;
    }

    /** Builds {@link ClientSecurity}; {@link #build} reads the files and names the one that is wrong. */
    public static final class Builder {

        private boolean tls;
        private Path trustedCa;
        private Path clientCert;
        private Path clientKey;
        private Path tokenFile;
        private boolean allowPlaintextToken;

        private Builder() {
        }

        /** Connect with TLS, trusting the JVM's default CAs unless {@link #trustedCa} is set. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** Connect with TLS, trusting the CA certificates of {@code caFile} (PEM) instead of the JVM's. */
        public Builder trustedCa(Path caFile) {
            this.trustedCa = Objects.requireNonNull(caFile, "caFile");
            this.tls = true;
            return this;
        }

        /** Connect with TLS and present this client certificate chain (PEM) with its private key (PEM, PKCS#8). */
        public Builder clientCertificate(Path certChain, Path privateKey) {
            this.clientCert = Objects.requireNonNull(certChain, "certChain");
            this.clientKey = Objects.requireNonNull(privateKey, "privateKey");
            this.tls = true;
            return this;
        }

        /** Send the first token of {@code tokenFile} (see {@link BearerTokens}) with every call. */
        public Builder tokenFile(Path tokenFile) {
            this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
            return this;
        }

        /** Send the token over plaintext connections to other hosts than this one too (off by default). */
        public Builder allowPlaintextToken(boolean allow) {
            this.allowPlaintextToken = allow;
            return this;
        }

        /**
         * The security, with every file read.
         *
         * @throws IllegalArgumentException naming the file that is missing, unreadable or empty
         */
        public ClientSecurity build() {
            List<String> parts = new ArrayList<>();
            ChannelCredentials transport = InsecureChannelCredentials.create();
            if (tls) {
                TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
                String trust = "the JVM's trusted CAs";
                if (trustedCa != null) {
                    PemFiles.read("trusted CA file", trustedCa, ca -> builder.trustManager(ca.toFile()));
                    trust = "CA " + trustedCa;
                }
                String identity = "";
                if (clientCert != null) {
                    PemFiles.read("client certificate", clientCert, "client private key", clientKey,
                            (cert, key) -> builder.keyManager(cert.toFile(), key.toFile()));
                    identity = ", client certificate " + clientCert;
                }
                transport = builder.build();
                parts.add("TLS (" + trust + identity + ")");
            } else {
                parts.add("plaintext");
            }
            Optional<CallCredentials> call = Optional.empty();
            if (tokenFile != null) {
                String token = BearerTokens.first(tokenFile);
                call = Optional.of(allowPlaintextToken ? BearerTokenCredentials.allowingPlaintext(token) : BearerTokenCredentials.of(token));
                parts.add("bearer token from " + tokenFile + (allowPlaintextToken && !tls ? " (sent over plaintext)" : ""));
            } else {
                parts.add("no bearer token");
            }
            if (!tls && tokenFile == null) {
                return PLAINTEXT;
            }
            return new ClientSecurity(transport, call, String.join(", ", parts));
        }
    }
}
