package dev.pgcapture.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.testcontainers.DockerClientFactory;

/**
 * Where the test services run: in this JVM and its child processes (embedded PostgreSQL
 * binaries, an in-process Pulsar broker), or in containers through Testcontainers.
 *
 * <p>The system property {@value #PROPERTY} chooses: {@code embedded}, {@code testcontainers},
 * or {@code auto} (the default), which uses containers only when a Docker engine answers.
 */
public enum Backend {
    EMBEDDED,
    TESTCONTAINERS;

    /** The system property that forces a backend. */
    public static final String PROPERTY = "pgcapture.testkit.backend";

    /** The backend chosen by {@value #PROPERTY}, or by whether a Docker engine answers. */
    public static Backend chosen() {
        String value = System.getProperty(PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "embedded" -> EMBEDDED;
            case "testcontainers" -> TESTCONTAINERS;
            case "auto", "" -> dockerAnswers() ? TESTCONTAINERS : EMBEDDED;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + value + " is not one of auto, embedded, testcontainers");
        };
    }

    private static boolean dockerAnswers() {
        // Asking Testcontainers costs seconds of retries when there is no engine; skip it when
        // there is plainly nothing to ask.
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        return configured && DockerClientFactory.instance().isDockerAvailable();
    }
}
