package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --help} shows the defaults the environment and the config file give, but never a
 * password in them: every String option of every command gets a URL with a password, and the
 * help of every command is checked.
 */
class SecretsInHelpTest {

    private static final String PASSWORD = "s3cret-pw";
    private static final String URL = "postgres://capture:" + PASSWORD + "@db.example:5432/app";
    private static final String JDBC = "jdbc:postgresql://db.example/app?user=capture&password=" + PASSWORD + "&ssl=true";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** The long names of the String options of {@code command}: they take any text, URLs among them. */
    private static Set<String> stringOptions(CommandLine command) {
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (option.type() == String.class && !option.longestName().equals(ConfigDefaults.CONFIG_OPTION)) {
                names.add(option.longestName());
            }
        }
        return names;
    }

    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> commands = new HashMap<>(Main.commandLine().getSubcommands());
        commands.remove("help");
        return commands;
    }

    @Test
    void help_ofEveryCommand_withPasswordsInTheEnvironment_masksThem() {
        for (Map.Entry<String, CommandLine> command : commands().entrySet()) {
            Map<String, String> env = new HashMap<>();
            stringOptions(command.getValue()).forEach(option -> env.put(ConfigDefaults.envName(option), URL));
            out.getBuffer().setLength(0);
            assertEquals(0, run(env, command.getKey(), "--help"), command.getKey() + ": " + err);
            assertFalse(out.toString().contains(PASSWORD), command.getKey() + " --help shows the password:\n" + out);
        }
        out.getBuffer().setLength(0);
        run(Map.of("PGCAPTURE_PG_URL", URL), "pg2pulsar", "--help");
        assertTrue(out.toString().contains("Default: postgres://capture:***@db.example"), "the masked default:\n" + out);
    }

    @Test
    void help_ofEveryCommand_withPasswordsInTheConfigFile_masksThem() throws Exception {
        Set<String> keys = new TreeSet<>();
        commands().values().forEach(command -> stringOptions(command).forEach(option -> keys.add(option.substring(2))));
        StringBuilder config = new StringBuilder();
        keys.forEach(key -> config.append(key).append(" = ").append(JDBC).append('\n'));
        Path file = Files.writeString(dir.resolve("pgcapture.properties"), config);
        for (String command : commands().keySet()) {
            out.getBuffer().setLength(0);
            assertEquals(0, run(Map.of(), command, "--config", file.toString(), "--help"), command + ": " + err);
            assertFalse(out.toString().contains(PASSWORD), command + " --help shows the password:\n" + out);
        }
        assertTrue(out.toString().contains("password=***"), "the masked default:\n" + out);
    }

    @Test
    void usageError_withAPasswordInTheEnvironment_printsUsageWithoutIt() {
        assertEquals(2, run(Map.of("PGCAPTURE_PG_URL", URL, "PGCAPTURE_SOURCE_URL", JDBC), "pulsar2pg"));
        assertTrue(err.toString().contains("Missing required option"), err.toString());
        assertFalse(err.toString().contains(PASSWORD), "usage after an error shows the password:\n" + err);
    }

    @Test
    void help_showsATokenFilesPathButNotTheTokenInIt() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "very-secret-token\n");
        assertEquals(0, run(Map.of("PGCAPTURE_AUTH_TOKEN_FILE", tokens.toString(), "PGCAPTURE_TOKEN_FILE", tokens.toString()),
                "gateway", "--help"));
        assertTrue(out.toString().contains("Default: " + tokens), out.toString());
        assertFalse(out.toString().contains("very-secret-token"), out.toString());
    }
}
