package dev.pgcapture.cli;

import dev.pgcapture.core.grpc.ClientSecurity;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of every command that calls a pgcapture gRPC server (tail, schedule, schedules;
 * the gateway towards the controller and the agents; the controller towards the agents): how it
 * connects. Without any of them it connects in plaintext without a token, as before.
 */
final class ClientSecurityOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--tls", description = "Connect with TLS, trusting the JVM's CAs unless --tls-ca is given "
            + "(implied by --tls-ca and --client-cert).")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Connect with TLS and trust the server certificates the CA certificates of this PEM file signed.")
    Path tlsCa;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "Present this PEM client certificate chain (for servers with --tls-client-ca); needs --client-key.")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "The private key of --client-cert: PEM, unencrypted PKCS#8.")
    Path clientKey;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Send 'authorization: Bearer <token>' with the first token of this file (for servers with "
                    + "--auth-token-file). Sent only over TLS or to a loopback address, unless --allow-plaintext-token.")
    Path tokenFile;

    @Option(names = "--allow-plaintext-token",
            description = "Send the --token-file token over plaintext connections to other hosts too (anyone on the path can read it).")
    boolean allowPlaintextToken;

    /** The security these options describe, every file read; a bad combination or file is a usage error naming the option. */
    ClientSecurity security() {
        if ((clientCert == null) != (clientKey == null)) {
            throw usage("--client-cert and --client-key go together: give both or neither");
        }
        if (allowPlaintextToken && tokenFile == null) {
            throw usage("--allow-plaintext-token needs --token-file");
        }
        ClientSecurity.Builder builder = ClientSecurity.builder().allowPlaintextToken(allowPlaintextToken);
        if (tls) {
            builder.tls();
        }
        if (tlsCa != null) {
            builder.trustedCa(tlsCa);
        }
        if (clientCert != null) {
            builder.clientCertificate(clientCert, clientKey);
        }
        if (tokenFile != null) {
            builder.tokenFile(tokenFile);
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
