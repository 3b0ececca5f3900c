package dev.pgcapture.testkit;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts each test service once per test JVM and stops it when the JVM's tests are done: the
 * root extension context's store closes what it holds at the very end.
 */
final class SharedServices {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServices.class);

    private SharedServices() {
    }

    static TestPostgres postgres(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(TestPostgres.class, key -> startOrFail("PostgreSQL", () -> TestPostgres.start(Backend.chosen())), TestPostgres.class);
    }

    static TestPulsar pulsar(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(TestPulsar.class, key -> startOrFail("Pulsar", () -> TestPulsar.start(Backend.chosen())), TestPulsar.class);
    }

    private static <T> T startOrFail(String what, Callable<T> starter) {
        try {
            return starter.call();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test " + what + " (backend " + Backend.chosen() + "): " + e.getMessage(), e);
        }
    }
}
