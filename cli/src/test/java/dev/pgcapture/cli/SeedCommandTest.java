package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code pgcapture seed}'s options: what is required, what is checked before connecting, where values come from. */
class SeedCommandTest {

    /** Nothing listens on port 1: connecting fails at once, after the arguments were accepted. */
    private static final String UNREACHABLE = "postgres://alice:s3cret@127.0.0.1:1/app";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void help_showsEveryOptionWithItsDefault() {
        assertEquals(0, run(Map.of(), "seed", "--help"));
        String help = out.toString();
        for (String option : new String[] {"--source-url", "--replica-url", "--tables", "--force", "--slot-wait", "--publication", "--jobs",
            "--progress-interval", "--config"}) {
            assertTrue(help.contains(option), option + " missing from:\n" + help);
        }
        assertTrue(help.contains("Default: 60s") && help.contains("Default: pgcapture") && help.contains("Default: 2"), help);
    }

    @Test
    void ifNew_withForceOrTables_isAUsageError() {
        assertEquals(2, run(Map.of(), "seed", "--source-url", UNREACHABLE, "--replica-url", UNREACHABLE, "--if-new", "--force"));
        assertTrue(err.toString().startsWith("--if-new cannot be combined with --force or --tables"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run(Map.of(), "seed", "--source-url", UNREACHABLE, "--replica-url", UNREACHABLE, "--if-new", "--tables", "a.b"));
        assertTrue(err.toString().startsWith("--if-new cannot be combined with --force or --tables"), err.toString());
    }

    @Test
    void withoutSourceOrReplica_isAUsageErrorNamingTheOption() {
        assertEquals(2, run(Map.of(), "seed", "--replica-url", UNREACHABLE));
        assertTrue(err.toString().startsWith("Missing required option: '--source-url=URL' (or PGCAPTURE_SOURCE_URL)"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run(Map.of(), "seed", "--source-url", UNREACHABLE));
        assertTrue(err.toString().startsWith("Missing required option: '--replica-url=URL' (or PGCAPTURE_REPLICA_URL)"), err.toString());
    }

    @Test
    void badValues_areUsageErrorsNamingThem() {
        assertEquals(2, run(Map.of(), "seed", "--source-url", UNREACHABLE, "--replica-url", UNREACHABLE, "--jobs", "0"));
        assertTrue(err.toString().startsWith("jobs must be between 1 and 64, was 0"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run(Map.of(), "seed", "--source-url", UNREACHABLE, "--replica-url", UNREACHABLE, "--slot-wait", "soon"));
        assertTrue(err.toString().contains("'soon' is not a duration"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run(Map.of(), "seed", "--source-url", UNREACHABLE, "--replica-url", UNREACHABLE, "--tables", "a,,b"));
        assertTrue(err.toString().startsWith("--tables: invalid table list \"a,,b\": an entry is empty"), err.toString());
    }

    @Test
    void urlsFromTheEnvironment_unreachableServer_failsWithExitCode1_neverPrintingThePassword() {
        assertEquals(1, run(Map.of("PGCAPTURE_SOURCE_URL", UNREACHABLE, "PGCAPTURE_REPLICA_URL", UNREACHABLE), "seed"));
        assertTrue(err.toString().startsWith("seed failed: "), err.toString());
        assertFalse(err.toString().contains("s3cret"), err.toString());
    }
}
