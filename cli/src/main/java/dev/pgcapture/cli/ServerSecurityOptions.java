package dev.pgcapture.cli;

import dev.pgcapture.core.grpc.ServerSecurity;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of every command that serves gRPC (gateway, controller, pulsar2pg --listen): how
 * the server protects itself. Without any of them it serves plaintext to anyone, as before.
 */
final class ServerSecurityOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve TLS with this PEM certificate chain (this server's certificate first); needs --tls-key. Default: plaintext.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The private key of --tls-cert: PEM, unencrypted PKCS#8 (BEGIN PRIVATE KEY).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "Verify client certificates against the CA certificates of this PEM file (mutual TLS); needs --tls-cert.")
    Path tlsClientCa;

    @Option(names = "--tls-client-auth", paramLabel = "MODE",
            description = "none, optional or require a client certificate. Default: require when --tls-client-ca is given, none otherwise.")
    String tlsClientAuth;

    @Option(names = "--auth-token-file", paramLabel = "FILE",
            description = "Accept only calls that carry 'authorization: Bearer <token>' with a token of this file: one a line, "
                    + "blank lines and # comments ignored; list two to rotate. Default: no token needed.")
    Path authTokenFile;

    /** Whether any of these options is given. */
    boolean any() {
        return tlsCert != null || tlsKey != null || tlsClientCa != null || tlsClientAuth != null || authTokenFile != null;
    }

    /** The security these options describe, every file read; a bad combination or file is a usage error naming the option. */
    ServerSecurity security() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw usage("--tls-cert and --tls-key go together: give both or neither");
        }
        ServerSecurity.ClientAuth mode = null;
        if (tlsClientAuth != null && !tlsClientAuth.isBlank()) {
            try {
                mode = ServerSecurity.ClientAuth.parse(tlsClientAuth);
            } catch (IllegalArgumentException e) {
                throw usage("--tls-client-auth must be none, optional or require, was \"" + tlsClientAuth + "\"");
            }
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw usage("--tls-client-ca needs TLS: give --tls-cert and --tls-key too");
        }
        if (tlsClientCa == null && mode != null && mode != ServerSecurity.ClientAuth.NONE) {
            throw usage("--tls-client-auth=" + tlsClientAuth.strip() + " needs --tls-client-ca, the CA client certificates are verified against");
        }
        if (tlsClientCa != null && mode == ServerSecurity.ClientAuth.NONE) {
            throw usage("--tls-client-ca is never used with --tls-client-auth=none");
        }
        ServerSecurity.Builder builder = ServerSecurity.builder();
        if (tlsCert != null) {
            builder.tls(tlsCert, tlsKey);
        }
        if (tlsClientCa != null) {
            builder.clientCertificates(tlsClientCa, mode == null ? ServerSecurity.ClientAuth.REQUIRE : mode);
        }
        if (authTokenFile != null) {
            builder.tokenFile(authTokenFile);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
