package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the packaged {@code target/pgcapture.jar} as a real process, the way ./pgcapture does. */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "pgcapture.jar");

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is not built");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // Outputs are small; read both after the exit to keep the test simple.
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "pgcapture " + String.join(" ", args) + " did not exit");
        return new Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void jar_help_listsTheSubcommands() throws Exception {
        Result result = run("--help");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().contains("standalone") && result.stdout().contains("version"), result.stdout());
    }

    @Test
    void jar_version_loadsItsDependenciesFromLib() throws Exception {
        Result result = run("version");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().startsWith("pgcapture "), result.stdout());
    }
}
