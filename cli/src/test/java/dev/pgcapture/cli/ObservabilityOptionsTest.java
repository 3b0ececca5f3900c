package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --metrics-listen} and {@code --log-format} on every long-running command. */
class ObservabilityOptionsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** A command line of {@code command} that passes its own checks (nothing listens at these addresses). */
    private static List<String> valid(String command) {
        return new ArrayList<>(switch (command) {
            case "pg2pulsar" -> List.of("pg2pulsar", "--pg-url", "postgres://u:secret@127.0.0.1:1/db", "--topic", "t",
                    "--pulsar-url", "pulsar://127.0.0.1:1", "--pulsar-admin-url", "http://127.0.0.1:1");
            case "pulsar2pg" -> List.of("pulsar2pg", "--pg-url", "postgres://u:secret@127.0.0.1:1/db", "--topic", "t",
                    "--pulsar-url", "pulsar://127.0.0.1:1");
            case "controller" -> List.of("controller", "--listen", "127.0.0.1:1", "--store-url", "postgres://u:secret@127.0.0.1:1/db");
            case "gateway" -> List.of("gateway", "--listen", "127.0.0.1:1", "--resolver-config", "/nonexistent.json");
            default -> throw new IllegalArgumentException(command);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"pg2pulsar", "pulsar2pg", "controller", "gateway"})
    void help_listsMetricsListenAndLogFormat(String command) {
        assertEquals(0, run(command, "--help"));
        assertTrue(out.toString().contains("--metrics-listen=HOST:PORT"), out.toString());
        assertTrue(out.toString().contains("--log-format=text|json"), out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pg2pulsar", "pulsar2pg", "controller", "gateway"})
    void aMetricsAddressWithoutPort_isAUsageErrorNamingTheOption(String command) {
        List<String> args = valid(command);
        args.addAll(List.of("--metrics-listen", "localhost"));
        assertEquals(2, run(args.toArray(String[]::new)));
        assertTrue(err.toString().startsWith("--metrics-listen: \"localhost\" is not HOST:PORT with a port from 1 to 65535"),
                err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pg2pulsar", "pulsar2pg", "controller", "gateway"})
    void anUnknownLogFormat_isAUsageError(String command) {
        List<String> args = valid(command);
        args.addAll(List.of("--log-format", "xml"));
        assertEquals(2, run(args.toArray(String[]::new)));
        assertTrue(err.toString().startsWith("--log-format: \"xml\" is neither text nor json"), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pg2pulsar", "pulsar2pg"})
    void aMetricsPortInUse_failsAtStartSayingSo(String command) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> args = valid(command);
            args.addAll(List.of("--metrics-listen", "127.0.0.1:" + taken.getLocalPort()));
            assertEquals(1, run(args.toArray(String[]::new)));
            assertTrue(err.toString().startsWith(command + " failed: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " for --metrics-listen"), err.toString());
        }
    }
}
