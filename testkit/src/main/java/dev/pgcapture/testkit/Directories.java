package dev.pgcapture.testkit;

import dev.pgcapture.embedded.DataDirectories;
import java.nio.file.Files;
import java.nio.file.Path;

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
            DataDirectories.delete(dir);
            throw e;
        }
    }

}
