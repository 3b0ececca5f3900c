package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

class ConfigDefaultsTest {

    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Option(names = "--pg-url") String pgUrl;
        @Option(names = "--batch-size", defaultValue = "100") int batchSize;
        @Option(names = ConfigDefaults.CONFIG_OPTION, scope = ScopeType.INHERIT) Path config;

        @Override
        public void run() {
        }
    }

    @TempDir
    Path dir;

    private Probe parse(Map<String, String> env, String... args) {
        Probe probe = new Probe();
        CommandLine cli = new CommandLine(probe);
        cli.setDefaultValueProvider(ConfigDefaults.load(cli, args, env));
        cli.parseArgs(args);
        return probe;
    }

    private Path configFile(String content) throws Exception {
        Path file = dir.resolve("pgcapture.properties");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void nothingGiven_usesTheOptionsOwnDefault() {
        Probe probe = parse(Map.of());
        assertEquals(100, probe.batchSize);
        assertNull(probe.pgUrl);
    }

    @Test
    void precedence_isFlagThenEnvironmentThenFileThenDefault() throws Exception {
        Path file = configFile("batch-size = 5\npg-url = postgres://from-file/db\n");
        assertEquals(5, parse(Map.of(), "--config", file.toString()).batchSize);
        assertEquals("postgres://from-file/db", parse(Map.of(), "--config", file.toString()).pgUrl);
        Map<String, String> env = Map.of("PGCAPTURE_BATCH_SIZE", "7");
        assertEquals(7, parse(env, "--config", file.toString()).batchSize);
        assertEquals(9, parse(env, "--config", file.toString(), "--batch-size", "9").batchSize);
    }

    @Test
    void configFile_canBeNamedWithEqualsOrByEnvironment() throws Exception {
        Path file = configFile("batch-size=3\n");
        assertEquals(3, parse(Map.of(), "--config=" + file).batchSize);
        assertEquals(3, parse(Map.of("PGCAPTURE_CONFIG", file.toString())).batchSize);
    }

    @Test
    void configFile_unknownKey_isRejectedByName() throws Exception {
        Path file = configFile("batch-size=3\npg-ulr=postgres://typo/db\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of(), "--config", file.toString()));
        assertTrue(e.getMessage().contains("pg-ulr"), e.getMessage());
    }

    @Test
    void configFile_missing_saysSo() {
        Path missing = dir.resolve("nope.properties");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of(), "--config", missing.toString()));
        assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    }

    @Test
    void envName_isUpperSnakeCaseWithPrefix() {
        assertEquals("PGCAPTURE_PG_URL", ConfigDefaults.envName("--pg-url"));
        assertEquals("PGCAPTURE_REPLICA_IDENTITY_FULL", ConfigDefaults.envName("--replica-identity-full"));
    }
}
