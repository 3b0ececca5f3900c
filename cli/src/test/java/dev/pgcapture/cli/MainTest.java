package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void help_listsEverySubcommand() {
        assertEquals(0, run("--help"));
        for (String subcommand : new String[] {"version", "standalone", "help"}) {
            assertTrue(out.toString().contains("  " + subcommand), subcommand + " missing from:\n" + out);
        }
    }

    @Test
    void everySubcommand_hasHelp() {
        for (String subcommand : Main.commandLine().getSubcommands().keySet()) {
            if (subcommand.equals("help")) {
                continue; // picocli's own `help` command: `pgcapture help <command>` is its help
            }
            out.getBuffer().setLength(0);
            assertEquals(0, run(subcommand, "--help"), subcommand);
            assertTrue(out.toString().startsWith("Usage: pgcapture " + subcommand), subcommand + ":\n" + out);
        }
    }

    @Test
    void version_printsTheBuildVersion() {
        assertEquals(0, run("version"));
        String firstLine = out.toString().lines().findFirst().orElseThrow();
        assertTrue(firstLine.matches("pgcapture \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), firstLine);
    }

    @Test
    void standalone_notBuiltYet_saysSoAndFails() {
        assertEquals(StandaloneCommand.NOT_BUILT, run("standalone"));
        assertTrue(err.toString().contains("not built yet"), err.toString());
    }

    @Test
    void noSubcommand_isAUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("Missing subcommand"), err.toString());
    }

    @Test
    void help_explainsEnvironmentAndConfigFile() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("PGCAPTURE_PG_URL") && out.toString().contains("--config"), out.toString());
    }

    @Test
    void missingConfigFile_isAUsageErrorNamingIt() {
        assertEquals(2, run("version", "--config", "/nonexistent/pgcapture.properties"));
        assertTrue(err.toString().contains("/nonexistent/pgcapture.properties does not exist"), err.toString());
    }

    @Test
    void unknownSubcommand_isAUsageErrorNamingIt() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString().contains("frobnicate"), err.toString());
    }
}
