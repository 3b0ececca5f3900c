package dev.pgcapture.bench;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The databases and the topic of one {@link SdkStack}: creates the source (with its tables),
 * replica and store databases; when closed (after the stack), drops the slot, the databases and
 * the topic.
 */
final class BenchSetup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BenchSetup.class);

    private final BenchDatabases databases;
    private final PulsarAdmin admin;
    private final SdkStack.Names names;

    BenchSetup(BenchDatabases databases, PulsarAdmin admin, SdkStack.Names names) {
        this.databases = databases;
        this.admin = admin;
        this.names = names;
    }

    /** Creates the three databases, and runs {@code sourceDdl} in the source. */
    void createDatabases(String... sourceDdl) throws Exception {
        try (Connection c = databases.connect("postgres")) {
            for (String db : List.of(names.source(), names.replica(), names.store())) {
                BenchDatabases.execute(c, "DROP DATABASE IF EXISTS " + db);
                BenchDatabases.execute(c, "CREATE DATABASE " + db);
            }
        }
        try (Connection source = databases.connect(names.source())) {
            for (String sql : sourceDdl) {
                BenchDatabases.execute(source, sql);
            }
        }
    }

    /** Waits until the gateway has created {@code subscription} on the topic: a consumer is connected. */
    void awaitSubscription(String subscription, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (admin.topics().getSubscriptions(names.topic()).contains(subscription)) {
                    return;
                }
            } catch (Exception e) {
                log.debug("no subscriptions of {} yet: {}", names.topic(), e.getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no consumer subscribed " + subscription + " on " + names.topic() + " within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    @Override
    public void close() throws Exception {
        try (Connection c = databases.connect("postgres")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    BenchDatabases.execute(c, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                            + names.slot() + "'");
                    break;
                } catch (java.sql.SQLException e) {
                    // still active while its walsender winds down
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
            }
            for (String db : List.of(names.source(), names.replica(), names.store())) {
                BenchDatabases.execute(c, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
        try {
            admin.topics().delete(names.topic(), true);
        } catch (Exception e) {
            log.debug("could not delete topic {}: {}", names.topic(), e.getMessage());
        }
    }
}
