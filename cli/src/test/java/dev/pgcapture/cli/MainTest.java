package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return runWith(Map.of(), args);
    }

    private int runWith(Map<String, String> env, String... args) {
        return Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** Nothing listens on port 1: connecting fails at once, after the arguments were accepted. */
    private static final String UNREACHABLE = "postgres://alice:s3cret@127.0.0.1:1/app";

    @Test
    void help_listsEverySubcommand() {
        assertEquals(0, run("--help"));
        for (String subcommand : new String[] {"version", "standalone", "init", "check", "help"}) {
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
    void standalone_initWithoutPgUrl_isAUsageError() {
        assertEquals(2, run("standalone", "--init"));
        assertTrue(err.toString().startsWith("--init needs --pg-url"), err.toString());
    }

    @Test
    void standalone_badDemoRate_badAddress_badUrl_areUsageErrorsNamingTheValue() {
        assertEquals(2, run("standalone", "--demo", "--demo-rate", "0"));
        assertTrue(err.toString().startsWith("--demo-rate must be above 0 transactions per second, was 0.0"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("standalone", "--gateway-listen", "nowhere"));
        assertTrue(err.toString().startsWith("--gateway-listen: \"nowhere\" is not HOST:PORT"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("standalone", "--pg-url", "mysql://x"));
        assertTrue(err.toString().startsWith("--pg-url: "), err.toString());
    }

    @Test
    void schedule_and_schedules_withoutController_goToTheControllerOfStandalone() {
        for (String command : new String[] {"schedule", "schedules"}) {
            assertEquals(StandaloneCommand.DEFAULT_CONTROLLER,
                    Main.commandLine().getSubcommands().get(command).getCommandSpec().findOption("--controller").defaultValue(), command);
        }
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

    @Test
    void initAndCheck_withoutPgUrl_areUsageErrorsNamingTheOption() {
        for (String command : new String[] {"init", "check"}) {
            err.getBuffer().setLength(0);
            assertEquals(2, run(command), command);
            assertTrue(err.toString().contains("--pg-url") && err.toString().contains("PGCAPTURE_PG_URL"), err.toString());
        }
    }

    @Test
    void init_malformedPgUrl_isAUsageErrorThatMasksThePassword() {
        assertEquals(2, run("init", "--pg-url", "mysql://bob:hunter2@db/app"));
        assertTrue(err.toString().contains("invalid PostgreSQL URL"), err.toString());
        assertFalse(err.toString().contains("hunter2"), err.toString());
    }

    @Test
    void init_badTableList_isAUsageErrorNamingTheEntry() {
        assertEquals(2, run("init", "--pg-url", UNREACHABLE, "--tables", "public.orders,,x"));
        assertTrue(err.toString().contains("--tables") && err.toString().contains("an entry is empty"), err.toString());
    }

    @Test
    void check_badSlotName_isAUsageErrorSayingWhatIsAllowed() {
        assertEquals(2, run("check", "--pg-url", UNREACHABLE, "--slot", "Bad-Slot"));
        assertTrue(err.toString().contains("slot name \"Bad-Slot\" is not valid"), err.toString());
    }

    @Test
    void init_binaryTakesOnlyTrueOrFalse() {
        assertEquals(2, run("init", "--pg-url", UNREACHABLE, "--binary=maybe"));
        assertTrue(err.toString().contains("--binary"), err.toString());
    }

    @Test
    void init_unreachableServer_failsWithExitCode1_neverPrintingThePassword() {
        assertEquals(1, run("init", "--pg-url", UNREACHABLE, "--replica-identity-full", "--binary=false", "--tables", "a,b"));
        assertTrue(err.toString().contains("pgcapture init failed on postgres://alice:***@127.0.0.1:1/app"), err.toString());
        assertFalse(err.toString().contains("s3cret") || out.toString().contains("s3cret"), err.toString());
    }

    @Test
    void initDropAndCheck_takePgUrlFromTheEnvironment() {
        Map<String, String> env = Map.of("PGCAPTURE_PG_URL", UNREACHABLE);
        assertEquals(1, runWith(env, "init", "--drop"));
        assertEquals(1, runWith(env, "check"));
        assertTrue(err.toString().contains("pgcapture init --drop failed on postgres://alice:***@127.0.0.1:1/app")
                && err.toString().contains("pgcapture check failed on postgres://alice:***@127.0.0.1:1/app"), err.toString());
    }

    @Test
    void pg2pulsar_help_listsEveryOptionWithItsDefault() {
        assertEquals(0, run("pg2pulsar", "--help"));
        Map<String, String> blocks = optionBlocks(out.toString());
        for (OptionSpec option : Main.commandLine().getSubcommands().get("pg2pulsar").getCommandSpec().options()) {
            String block = blocks.get(option.longestName());
            assertTrue(block != null, option.longestName() + " missing from pg2pulsar --help:\n" + out);
            if (option.defaultValue() != null) {
                assertTrue(block.contains("Default: " + option.defaultValue()),
                        option.longestName() + " does not show its default " + option.defaultValue() + ":\n" + block);
            }
        }
    }

    @Test
    void pg2pulsar_withoutTopic_isAUsageErrorNamingTheOption() {
        assertEquals(2, run("pg2pulsar", "--pg-url", UNREACHABLE, "--pulsar-url", "pulsar://127.0.0.1:1",
                "--pulsar-admin-url", "http://127.0.0.1:1"));
        assertTrue(err.toString().startsWith("Missing required option: '--topic=TOPIC' (or PGCAPTURE_TOPIC)"), err.toString());
    }

    /** The option list of a usage message, by each option's longest name: its lines, wrapped description included. */
    private static Map<String, String> optionBlocks(String help) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Pattern start = Pattern.compile("^ {2}(?:-\\w, | {4})(--[\\w-]+)");
        String current = null;
        for (String line : help.lines().toList()) {
            Matcher matcher = start.matcher(line);
            if (matcher.find()) {
                current = matcher.group(1);
                blocks.put(current, line);
            } else if (current != null && line.startsWith("    ")) {
                blocks.merge(current, "\n" + line, String::concat);
            } else {
                current = null;
            }
        }
        return blocks;
    }
}
