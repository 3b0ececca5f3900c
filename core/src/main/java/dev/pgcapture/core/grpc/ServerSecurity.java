package dev.pgcapture.core.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.TlsServerCredentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a pgcapture gRPC server protects itself: TLS with its certificate chain and private key
 * (PEM; the key in PKCS#8, as {@code openssl genpkey} writes it), optionally client certificates
 * verified against a CA, and optionally bearer tokens read from a token file. Every file is read
 * when the value is built, so a missing or empty file fails at start-up with a message naming
 * it. {@link #toString()} describes the set-up for logs and shows file names, never tokens.
 */
public final class ServerSecurity {

    /** Whether a TLS server asks clients for a certificate. */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** A client may present a certificate; one that is presented must verify against the client CA. */
        OPTIONAL,
        /** A client must present a certificate that verifies against the client CA. */
        REQUIRE;

        /**
         * {@code none}, {@code optional} or {@code require}, in any case.
         *
         * @throws IllegalArgumentException naming the value otherwise
         */
        public static ClientAuth parse(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "optional" -> OPTIONAL;
                case "require" -> REQUIRE;
                default -> throw new IllegalArgumentException("client auth must be none, optional or require, was \"" + value + "\"");
            };
        }

        TlsServerCredentials.ClientAuth grpc() {
            return TlsServerCredentials.ClientAuth.valueOf(name());
        }
    }

    private final ServerCredentials credentials;
    private final List<ServerInterceptor> interceptors;
    private final String description;

    private ServerSecurity(ServerCredentials credentials, List<ServerInterceptor> interceptors, String description) {
        this.credentials = credentials;
        this.interceptors = List.copyOf(interceptors);
        this.description = description;
    }

    /** No TLS, no tokens: every connection and call is accepted. */
    public static ServerSecurity plaintext() {
        return new ServerSecurity(InsecureServerCredentials.create(), List.of(), "plaintext, no authentication");
    }

    /** A builder; with nothing set it builds {@link #plaintext()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The transport credentials to build the server with (TLS or plaintext). */
    public ServerCredentials credentials() {
        return credentials;
    }

    /** The interceptors every call passes (the bearer-token check, when tokens are set). */
    public List<ServerInterceptor> interceptors() {
        return interceptors;
    }

    /** Whether connections are TLS. */
    public boolean tls() {
        return !(credentials instanceof InsecureServerCredentials);
    }

    /** E.g. {@code TLS (client certificates required, CA ca.pem), bearer tokens from tokens.txt (2)}. */
    @Override
    public String toString() {
        return description;
    }

    /** Builds {@link ServerSecurity}; {@link #build} reads the files and names the one that is wrong. */
    public static final class Builder {

        private Path certChain;
        private Path privateKey;
        private Path clientCa;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private Path tokenFile;

        private Builder() {
        }

        /** Serve TLS with this certificate chain (PEM, the server's certificate first) and private key (PEM, PKCS#8). */
        public Builder tls(Path certChain, Path privateKey) {
            this.certChain = Objects.requireNonNull(certChain, "certChain");
            this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /**
         * Verify client certificates against the CA certificates in {@code caFile} (PEM); {@code mode}
         * says whether a client must present one.
         *
         * @throws IllegalArgumentException when {@code mode} is {@link ClientAuth#NONE}: the CA would never be used
         */
        public Builder clientCertificates(Path caFile, ClientAuth mode) {
            Objects.requireNonNull(caFile, "caFile");
            if (Objects.requireNonNull(mode, "mode") == ClientAuth.NONE) {
                throw new IllegalArgumentException("a client CA is given but client auth is none: the CA would never be used");
            }
            this.clientCa = caFile;
            this.clientAuth = mode;
            return this;
        }

        /** Accept only calls carrying one of the tokens of {@code tokenFile} (see {@link BearerTokens}). */
        public Builder tokenFile(Path tokenFile) {
            this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
            return this;
        }

        /**
         * The security, with every file read.
         *
         * @throws IllegalArgumentException naming the file that is missing, unreadable, not PEM or
         *     empty, or the option that needs another one
         */
        public ServerSecurity build() {
            if (certChain == null && clientCa != null) {
                throw new IllegalArgumentException("client certificates need TLS: give the server's certificate chain and key too");
            }
            List<String> parts = new ArrayList<>();
            ServerCredentials credentials = InsecureServerCredentials.create();
            if (certChain != null) {
                TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder();
                PemFiles.read("server certificate chain", certChain, "server private key", privateKey,
                        (chain, key) -> tls.keyManager(chain.toFile(), key.toFile()));
                String clients = "no client certificates";
                if (clientCa != null) {
                    PemFiles.read("client CA", clientCa, ca -> tls.trustManager(ca.toFile()));
                    tls.clientAuth(clientAuth.grpc());
                    clients = "client certificates " + (clientAuth == ClientAuth.REQUIRE ? "required" : "optional") + ", CA " + clientCa;
                }
                credentials = tls.build();
                parts.add("TLS (certificate " + certChain + ", " + clients + ")");
            } else {
                parts.add("plaintext");
            }
            List<ServerInterceptor> interceptors = new ArrayList<>();
            if (tokenFile != null) {
                List<String> tokens = BearerTokens.read(tokenFile);
                interceptors.add(new BearerTokenInterceptor(tokens));
                parts.add("bearer tokens from " + tokenFile + " (" + tokens.size() + ")");
            } else {
                parts.add("no bearer token");
            }
            return new ServerSecurity(credentials, interceptors, String.join(", ", parts));
        }
    }
}
