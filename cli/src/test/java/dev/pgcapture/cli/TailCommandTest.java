package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tail}: its options and errors, without a gateway. */
class TailCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void tail_withoutGateway_goesToTheGatewayOfStandalone() {
        assertEquals(StandaloneCommand.DEFAULT_GATEWAY,
                Main.commandLine().getSubcommands().get("tail").getCommandSpec().findOption("--gateway").defaultValue());
    }

    @Test
    void tail_withoutUri_isAUsageErrorNamingTheOptionAndItsVariable() {
        assertEquals(2, run("tail", "--gateway", "127.0.0.1:1"));
        assertTrue(err.toString().startsWith("Missing required option: '--uri=URI' (or PGCAPTURE_URI)"), err.toString());
    }

    @Test
    void tail_badMode_badPolicy_badRegex_negativeMax_areUsageErrorsNamingTheValue() {
        assertEquals(2, run("tail", "--gateway", "127.0.0.1:1", "--uri", "u", "--mode", "fast"));
        assertTrue(err.toString().contains("--mode: ") && err.toString().contains("fast"), err.toString());
        assertEquals(2, run("tail", "--gateway", "127.0.0.1:1", "--uri", "u", "--on-decode-error", "ignore"));
        assertTrue(err.toString().contains("--on-decode-error must be requeue or skip, was \"ignore\""), err.toString());
        assertEquals(2, run("tail", "--gateway", "127.0.0.1:1", "--uri", "u", "--table-regex", "(["));
        assertTrue(err.toString().contains("invalid table regex \"([\""), err.toString());
        assertEquals(2, run("tail", "--gateway", "127.0.0.1:1", "--uri", "u", "--max", "-1"));
        assertTrue(err.toString().contains("--max must be 0 or more, was -1"), err.toString());
    }

    @Test
    void tail_badGatewayAddress_isAUsageErrorSayingTheForm() {
        assertEquals(2, run("tail", "--gateway", "10001", "--uri", "u"));
        assertTrue(err.toString().startsWith("--gateway: \"10001\" is not HOST:PORT"), err.toString());
    }
}
