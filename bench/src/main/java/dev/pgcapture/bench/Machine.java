package dev.pgcapture.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** What the benchmark ran on, as the report's header states it. */
record Machine(String cpu, int cores, String memory, String os, String jdk, String jvmFlags) {

    static Machine describe() {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
        String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb.replace("kB", "").trim()) / 1024.0 / 1024.0))
                .orElse("unknown");
        String os = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME").map(v -> v.replace("\"", "")).orElse(System.getProperty("os.name"))
                + ", kernel " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")";
        String jdk = System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")";
        String flags = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory, os, jdk, flags);
    }

    /** The value of the first {@code key: value} or {@code key=value} line of a file. */
    private static Optional<String> firstValue(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(key))
                    .map(line -> line.substring(key.length()).replaceFirst("^\\s*[:=]\\s*", "").trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
