package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The repository's {@code docker-compose.yml}, checked without a Docker engine: every pgcapture
 * service runs a real subcommand with options it has, from variables it reads, and files it
 * mounts exist; and {@code docker-compose config -q} accepts the file (on CI, where
 * {@code .ci/run} installs docker-compose, that check is required).
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(100);
        Map<String, Object> file = new Yaml(options).load(Files.readString(COMPOSE, StandardCharsets.UTF_8));
        return (Map<String, Map<String, Object>>) file.get("services");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPgcaptureService_runsASubcommandWithOptionsAndVariablesItHas() throws IOException {
        CommandLine root = Main.commandLine();
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            if (!"pgcapture:dev".equals(service.getValue().get("image"))) {
                continue;
            }
            Map<String, Object> build = (Map<String, Object>) service.getValue().get("build");
            assertNotNull(build, service.getKey() + " builds the image");
            assertTrue(Files.isRegularFile(ROOT.resolve((String) build.get("dockerfile"))), service.getKey() + ": the Dockerfile exists");
            List<String> command = (List<String>) service.getValue().get("command");
            CommandLine sub = root.getSubcommands().get(command.get(0));
            assertNotNull(sub, service.getKey() + ": no pgcapture command " + command.get(0));
            CommandSpec spec = sub.getCommandSpec();
            for (String arg : command.subList(1, command.size())) {
                if (arg.startsWith("--")) {
                    assertNotNull(spec.findOption(arg.split("=", 2)[0]), service.getKey() + ": " + command.get(0) + " has no option " + arg);
                }
            }
            Map<String, String> environment = (Map<String, String>) service.getValue().getOrDefault("environment", Map.of());
            for (String variable : environment.keySet()) {
                assertTrue(variable.startsWith(ConfigDefaults.ENV_PREFIX), service.getKey() + ": " + variable);
                boolean known = spec.options().stream().anyMatch(o -> ConfigDefaults.envName(o.longestName()).equals(variable));
                assertTrue(known, service.getKey() + ": " + command.get(0) + " reads no variable " + variable);
            }
            for (String volume : (List<String>) service.getValue().getOrDefault("volumes", List.of())) {
                if (volume.startsWith("./")) {
                    assertTrue(Files.exists(ROOT.resolve(volume.split(":")[0])), service.getKey() + " mounts a missing " + volume);
                }
            }
            checked.add(service.getKey());
        }
        assertEquals(List.of("init", "pg2pulsar", "seed", "pulsar2pg", "controller", "gateway"), checked);
    }

    @Test
    void dockerCompose_acceptsTheFile() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/docker-compose")) || Files.isExecutable(Path.of("/usr/local/bin/docker-compose"));
        if (System.getenv("CI") == null) {
            assumeTrue(installed, "docker-compose is not installed (`.ci/run` installs it on CI)");
        }
        assertTrue(installed, "CI must validate docker-compose.yml: docker-compose is not installed");
        Process process = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "docker-compose config did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "docker-compose config -q rejects docker-compose.yml:\n" + output);
        assertFalse(output.contains("ERROR"), output);
    }
}
