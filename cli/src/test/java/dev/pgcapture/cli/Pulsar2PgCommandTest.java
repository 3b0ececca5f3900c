package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Pulsar2PgCommandTest {

    private static final String REPLICA = "postgres://alice:s3cret@127.0.0.1:1/replica";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void help_listsEveryOptionAndTheBatchDefaults() {
        assertEquals(0, run(Map.of(), "pulsar2pg", "--help"));
        for (String option : new String[] {"--pg-url", "--pulsar-url", "--topic", "--source-url", "--batch-size", "--batch-delay", "--listen"}) {
            assertTrue(out.toString().contains(option), option + " missing from:\n" + out);
        }
        assertTrue(out.toString().contains("Default: 1000") && out.toString().contains("Default: 200ms"), out.toString());
    }

    @Test
    void withoutTopic_isAUsageErrorNamingTheOption() {
        assertEquals(2, run(Map.of(), "pulsar2pg", "--pg-url", REPLICA, "--pulsar-url", "pulsar://127.0.0.1:1"));
        assertTrue(err.toString().startsWith("Missing required option: '--topic=TOPIC' (or PGCAPTURE_TOPIC)"), err.toString());
    }

    @Test
    void topicFromTheEnvironment_isAccepted_soAMissingPulsarUrlIsWhatIsReported() {
        assertEquals(2, run(Map.of("PGCAPTURE_TOPIC", "t"), "pulsar2pg", "--pg-url", REPLICA));
        assertTrue(err.toString().startsWith("Missing required option: '--pulsar-url=URL' (or PGCAPTURE_PULSAR_URL)"), err.toString());
    }

    @Test
    void aBatchSizeBelowOne_isAUsageErrorSayingWhy() {
        assertEquals(2, run(Map.of(), "pulsar2pg", "--pg-url", REPLICA, "--pulsar-url", "pulsar://127.0.0.1:1", "--topic", "t",
                "--batch-size", "0"));
        assertTrue(err.toString().startsWith("batch size must be at least 1 source transaction, was 0"), err.toString());
    }

    @Test
    void aListenAddressWithoutPort_isAUsageError() {
        assertEquals(2, run(Map.of(), "pulsar2pg", "--pg-url", REPLICA, "--pulsar-url", "pulsar://127.0.0.1:1", "--topic", "t",
                "--listen", "localhost"));
        assertTrue(err.toString().startsWith("--listen: \"localhost\" is not HOST:PORT with a port from 1 to 65535"), err.toString());
    }

    @Test
    void aMalformedReplicaUrl_isAUsageErrorNamingTheOption() {
        assertEquals(2, run(Map.of(), "pulsar2pg", "--pg-url", "mysql://x", "--pulsar-url", "pulsar://127.0.0.1:1", "--topic", "t"));
        assertTrue(err.toString().startsWith("--pg-url: invalid PostgreSQL URL"), err.toString());
    }
}
