package dev.pgcapture.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgcapture.agent.pulsar.TopicReader;
import dev.pgcapture.agent.replica.ApplySettings;
import dev.pgcapture.agent.replica.DumpInterlock;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A source captured into a topic and a replica applying it, for one test: the tables must exist
 * on the source before {@link #start}, which seeds the replica with {@link Seeder} right after
 * {@code init}, before the test's changes.
 */
final class ReplicaFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofMinutes(3);

    private final TestDatabase source;
    private final TestDatabase replica;
    private final TestPulsar pulsar;
    private final CaptureFixture capture;
    private final ApplySettings apply;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Pulsar2Pg applier;
    private Thread thread;

    private ReplicaFixture(TestDatabase source, TestDatabase replica, TestPulsar pulsar, CaptureFixture capture, ApplySettings apply) {
        this.source = source;
        this.replica = replica;
        this.pulsar = pulsar;
        this.capture = capture;
        this.apply = apply;
    }

    /** Captures {@code source}'s tables into a new topic, seeds {@code replica} and starts the applier. */
    static ReplicaFixture start(TestDatabase source, TestDatabase replica, TestPulsar pulsar, ApplySettings apply) throws Exception {
        CaptureFixture capture = CaptureFixture.start(source, pulsar);
        new Seeder(SeedSettings.of(PostgresUrl.parse(source.jdbcUrl()), PostgresUrl.parse(replica.jdbcUrl()))
                .withSlotWait(Duration.ofSeconds(30)), line -> { }).run();
        ReplicaFixture fixture = new ReplicaFixture(source, replica, pulsar, capture, apply);
        fixture.startApplier();
        return fixture;
    }

    Pulsar2Pg.Settings settings() {
        return new Pulsar2Pg.Settings(PostgresUrl.parse(replica.jdbcUrl()), pulsar.serviceUrl(), capture.topic(), apply);
    }

    void startApplier() {
        applier = new Pulsar2Pg(settings(), new AgentRunner.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), DumpInterlock.NONE, null);
        failure.set(null);
        thread = Thread.ofPlatform().name("pulsar2pg-" + replica.name()).start(() -> {
            try {
                applier.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
    }

    void stopApplier() throws InterruptedException {
        applier.stop();
        thread.join(WAIT.toMillis());
        if (thread.isAlive()) {
            fail("pulsar2pg did not stop within " + WAIT);
        }
    }

    /** Waits for the applier to end on its own and returns why. */
    Throwable awaitApplierFailure() throws InterruptedException {
        thread.join(WAIT.toMillis());
        if (thread.isAlive()) {
            fail("pulsar2pg is still running after " + WAIT + ", expected it to stop");
        }
        return failure.get();
    }

    String topic() {
        return capture.topic();
    }

    /**
     * Waits until the topic holds everything committed on the source so far and the replica has
     * applied it all; returns the topic's last Commit checkpoint.
     */
    Checkpoint awaitCaughtUp() throws Exception {
        awaitCaughtUpInTopic();
        Checkpoint last = lastCommit(pulsar, capture.topic());
        await("the replica applying through " + last).atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Throwable failed = failure.get();
            if (failed != null) {
                throw new AssertionError("pulsar2pg failed while the test waited for it", failed);
            }
            return !position().checkpoint().lsn().isBefore(last.lsn());
        });
        return last;
    }

    /** Waits until the topic holds everything committed on the source so far. */
    void awaitCaughtUpInTopic() throws Exception {
        capture.awaitConfirmedAtLeast(insertLsn(source));
    }

    ReplicaPosition position() throws SQLException {
        try (Connection c = replica.connect()) {
            return ReplicaPosition.read(c).orElseThrow();
        }
    }

    /** Asserts that {@code table} holds the same rows on the replica as on the source. */
    void assertSameRows(String table) throws SQLException {
        List<String> expected = rows(source, table);
        List<String> actual = rows(replica, table);
        assertEquals(expected.size(), actual.size(), "rows of " + table + " on the replica");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "row " + i + " of " + table + " (in text order) on the replica");
        }
    }

    static List<String> rows(TestDatabase db, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT x::text FROM " + table + " x ORDER BY x::text COLLATE \"C\"")) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }

    /** The last Commit the topic holds. */
    static Checkpoint lastCommit(TestPulsar pulsar, String topic) throws Exception {
        Checkpoint last = null;
        try (TopicReader reader = TopicReader.fromEarliest(pulsar.client(), topic)) {
            Optional<SourceMessage> message;
            while ((message = reader.nextAvailable(Duration.ofSeconds(30))).isPresent()) {
                if (message.get().message().hasCommit()) {
                    last = message.get().checkpoint();
                }
            }
        }
        if (last == null) {
            fail("topic " + topic + " holds no Commit");
        }
        return last;
    }

    static Lsn insertLsn(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT pg_current_wal_insert_lsn()::text");
             ResultSet r = s.executeQuery()) {
            r.next();
            return Lsn.parse(r.getString(1));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (thread != null && thread.isAlive()) {
                stopApplier();
            }
        } finally {
            capture.close();
        }
    }
}
