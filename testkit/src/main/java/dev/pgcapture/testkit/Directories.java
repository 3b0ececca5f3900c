package dev.pgcapture.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

final class Directories {

    private Directories() {
    }

    /** What starts a service in a directory. */
    interface Starter<T> {
        T start(Path dir) throws Exception;
    }

    /** Starts a service in a new temporary directory, removed again if the start fails. */
    static <T> T startInTemporaryDirectory(String prefix, Starter<T> starter) throws Exception {
        Path dir = Files.createTempDirectory(prefix);
        try {
            return starter.start(dir);
        } catch (Exception e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
