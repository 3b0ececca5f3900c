package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security options of servers and clients: wrong combinations and bad files are usage errors naming the option or file. */
class SecurityOptionsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private int gateway(String... security) {
        List<String> args = new ArrayList<>(List.of("gateway", "--listen", "127.0.0.1:1", "--resolver-config", dir.resolve("r.json").toString()));
        args.addAll(List.of(security));
        return run(args.toArray(String[]::new));
    }

    private int tail(String... security) {
        List<String> args = new ArrayList<>(List.of("tail", "--gateway", "127.0.0.1:1", "--uri", "u"));
        args.addAll(List.of(security));
        return run(args.toArray(String[]::new));
    }

    private void assertUsage(int status, String message) {
        assertEquals(2, status, err.toString());
        assertTrue(err.toString().startsWith(message), "expected \"" + message + "\", got:\n" + err);
        err.getBuffer().setLength(0);
    }

    @Test
    void serverOptions_halfAPairOrAModeWithoutCa_areUsageErrors() {
        assertUsage(gateway("--tls-cert", "cert.pem"), "--tls-cert and --tls-key go together: give both or neither");
        assertUsage(gateway("--tls-client-ca", "ca.pem"), "--tls-client-ca needs TLS: give --tls-cert and --tls-key too");
        assertUsage(gateway("--tls-client-auth", "require"), "--tls-client-auth=require needs --tls-client-ca");
        assertUsage(gateway("--tls-client-auth", "maybe"), "--tls-client-auth must be none, optional or require, was \"maybe\"");
        assertUsage(run("controller", "--listen", "127.0.0.1:1", "--store-url", "postgres://u@h/db", "--tls-key", "key.pem"),
                "--tls-cert and --tls-key go together");
        assertUsage(run("pulsar2pg", "--pg-url", "postgres://u@h/db", "--pulsar-url", "pulsar://h:6650", "--topic", "t",
                "--listen", "127.0.0.1:1", "--tls-cert", "cert.pem"), "--tls-cert and --tls-key go together");
        assertUsage(run("pulsar2pg", "--pg-url", "postgres://u@h/db", "--pulsar-url", "pulsar://h:6650", "--topic", "t",
                "--auth-token-file", "tokens"), "--tls-cert, --tls-key, --tls-client-ca, --tls-client-auth and --auth-token-file protect the Agent service: give --listen too");
    }

    @Test
    void serverOptions_emptyTokenFileOrMissingCertificate_areUsageErrorsNamingTheFile() throws Exception {
        Path empty = Files.writeString(dir.resolve("tokens"), "# to be filled\n");
        assertUsage(gateway("--auth-token-file", empty.toString()), "token file " + empty + " holds no token");
        Path missing = dir.resolve("missing.pem");
        assertUsage(gateway("--tls-cert", missing.toString(), "--tls-key", missing.toString()),
                "the server certificate chain " + missing + " does not exist or is not a file");
    }

    @Test
    void clientOptions_halfAPairOrAMissingFile_areUsageErrors() {
        assertUsage(tail("--client-key", "key.pem"), "--client-cert and --client-key go together: give both or neither");
        assertUsage(tail("--allow-plaintext-token"), "--allow-plaintext-token needs --token-file");
        Path missing = dir.resolve("ca.pem");
        assertUsage(tail("--tls-ca", missing.toString()), "the trusted CA file " + missing + " does not exist or is not a file");
        assertUsage(run("schedules", "--controller", "127.0.0.1:1", "--token-file", dir.resolve("none").toString()),
                "token file " + dir.resolve("none") + " does not exist");
        assertUsage(run("schedule", "--controller", "127.0.0.1:1", "--uri", "u", "--table", "t", "--client-cert", "c.pem"),
                "--client-cert and --client-key go together");
    }
}
