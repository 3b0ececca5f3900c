package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code target/pgcapture.jar} running as a child process with a modest heap. Its
 * stdout and stderr go to files under {@code target/process-logs} (a child whose pipes fill up
 * would block), kept after the test for whoever reads a failure.
 */
final class JarProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "pgcapture.jar");
    private static final Path LOGS = Path.of("target", "process-logs");
    /** 128 + SIGKILL (9), the status of a process ended by {@link #kill}. */
    static final int KILLED = 137;
    /** 128 + SIGTERM (15). */
    static final int TERMINATED = 143;
    private static final List<String> DEFAULT_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JarProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code java -jar pgcapture.jar args}; {@code name} names its log files and must be unique per run. */
    static JarProcess start(String name, List<String> args) throws IOException {
        return start(name, DEFAULT_JVM, args, Map.of());
    }

    /** Starts {@code java jvmOptions -jar pgcapture.jar args}. */
    static JarProcess start(String name, List<String> jvmOptions, List<String> args) throws IOException {
        return start(name, jvmOptions, args, Map.of());
    }

    /** As {@link #start(String, List)}, with {@code env} added to the process's environment. */
    static JarProcess start(String name, List<String> args, Map<String, String> env) throws IOException {
        return start(name, DEFAULT_JVM, args, env);
    }

    private static JarProcess start(String name, List<String> jvmOptions, List<String> args, Map<String, String> env) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is not built");
        Files.createDirectories(LOGS);
        Path out = LOGS.resolve(name + ".stdout.log");
        Path err = LOGS.resolve(name + ".stderr.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new JarProcess(name, process, out, err);
    }

    /** A TCP port free on loopback right now, for a process to listen on. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL ({@link Process#destroyForcibly()} on Linux) and wait for the process to be gone; returns its exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM ({@link Process#destroy()} on Linux); does not wait. */
    void terminate() {
        process.destroy();
    }

    /** Waits up to {@code timeout} for the process to exit and returns its status; fails the test if it did not. */
    int awaitExit(Duration timeout) throws InterruptedException {
        assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
                name + " (pid " + process.pid() + ") did not exit within " + timeout + "; stderr:\n" + stderr());
        return process.exitValue();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process if it still runs: a test that failed half-way leaves no agent behind. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
