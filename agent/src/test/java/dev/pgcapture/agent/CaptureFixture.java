package dev.pgcapture.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.agent.pulsar.TopicReader;
import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.agent.setup.DdlLogs;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running capture for one test: the database initialised, {@link Pg2Pulsar} on a thread,
 * and the topic read back transaction by transaction.
 */
public final class CaptureFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);

    /** One transaction read back from the topic. */
    public record Transaction(SourceMessage begin, List<Change> changes, SourceMessage commit) {

        long commitEnd() {
            return commit.message().getCommit().getEndLsn();
        }

        /** The changes to user tables, without DDL events. */
        List<Change> rowChanges() {
            return changes.stream().filter(c -> !isDdlEvent(c)).toList();
        }

        List<Change> ddlEvents() {
            return changes.stream().filter(CaptureFixture::isDdlEvent).toList();
        }
    }

    private final TestDatabase db;
    private final TestPulsar pulsar;
    private final String topic;
    private final CaptureSettings capture;
    private final TopicReader reader;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Pg2Pulsar agent;
    private Thread thread;

    private CaptureFixture(TestDatabase db, TestPulsar pulsar, CaptureSettings capture) throws Exception {
        this.db = db;
        this.pulsar = pulsar;
        this.topic = pulsar.newTopic();
        this.capture = capture;
        this.reader = TopicReader.fromEarliest(pulsar.client(), topic);
    }

    /**
     * Runs {@code init} with default settings, except a slot named after the database (slots are
     * per server), and starts the agent.
     */
    public static CaptureFixture start(TestDatabase db, TestPulsar pulsar) throws Exception {
        try (Connection c = db.connect()) {
            new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(db.name())).init(c);
        }
        CaptureFixture fixture = new CaptureFixture(db, pulsar,
                CaptureSettings.defaults().withSlot(db.name()).withStatusInterval(Duration.ofMillis(500)));
        fixture.startAgent();
        return fixture;
    }

    void startAgent() {
        Pg2Pulsar.Settings settings = new Pg2Pulsar.Settings(PostgresUrl.parse(db.jdbcUrl()), capture, pulsar.serviceUrl(),
                pulsar.httpUrl(), PulsarSinkSettings.forTopic(topic), Duration.ofDays(1));
        agent = new Pg2Pulsar(settings, new AgentRunner.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
        failure.set(null);
        thread = Thread.ofPlatform().name("pg2pulsar-" + db.name()).start(() -> {
            try {
                agent.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
    }

    /** Stops the agent cleanly and waits for it. */
    void stopAgent() throws InterruptedException {
        agent.stop();
        thread.join(WAIT.toMillis());
        if (thread.isAlive()) {
            fail("pg2pulsar did not stop within " + WAIT);
        }
    }

    /** Waits for the agent to end on its own and returns why. */
    Throwable awaitFailure() throws InterruptedException {
        thread.join(WAIT.toMillis());
        if (thread.isAlive()) {
            fail("pg2pulsar is still running after " + WAIT + ", expected it to stop");
        }
        return failure.get();
    }

    public String topic() {
        return topic;
    }

    String slot() {
        return capture.slot();
    }

    /** The next {@code count} transactions in the topic that change user tables (DDL-only ones count too). */
    List<Transaction> nextTransactions(int count) throws Exception {
        List<Transaction> transactions = new ArrayList<>();
        while (transactions.size() < count) {
            transactions.add(nextTransaction());
        }
        return transactions;
    }

    public Transaction nextTransaction() throws Exception {
        SourceMessage begin = next();
        if (!begin.message().hasBegin()) {
            fail("expected a Begin, got " + begin.message());
        }
        List<Change> changes = new ArrayList<>();
        while (true) {
            SourceMessage message = next();
            if (message.message().hasCommit()) {
                return new Transaction(begin, changes, message);
            }
            if (!message.message().hasChange()) {
                fail("expected a Change or a Commit, got " + message.message());
            }
            changes.add(message.message().getChange());
        }
    }

    private SourceMessage next() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            SourceMessage message = reader.next(Duration.ofMillis(200));
            if (message != null) {
                return message;
            }
            Throwable failed = failure.get();
            if (failed != null) {
                throw new AssertionError("pg2pulsar failed while the test waited for the topic", failed);
            }
        }
        throw new AssertionError("no message in topic " + topic + " within " + WAIT);
    }

    /** The slot's confirmed_flush_lsn. */
    Lsn confirmedFlush() throws SQLException {
        try (Connection c = db.connect();
             ResultSet row = c.createStatement().executeQuery(
                     "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + capture.slot() + "'")) {
            if (!row.next()) {
                fail("slot " + capture.slot() + " is gone");
            }
            return Lsn.parse(row.getString(1));
        }
    }

    /** Waits until the slot is confirmed at least up to {@code lsn}. */
    Lsn awaitConfirmedAtLeast(Lsn lsn) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Lsn confirmed = confirmedFlush();
        while (confirmed.isBefore(lsn) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
            confirmed = confirmedFlush();
        }
        if (confirmed.isBefore(lsn)) {
            fail("slot " + capture.slot() + " confirmed up to " + confirmed + ", not " + lsn + ", within " + WAIT);
        }
        return confirmed;
    }

    static boolean isDdlEvent(Change change) {
        return DdlLogs.TABLE_NAME.schema().equals(change.getSchema()) && DdlLogs.TABLE_NAME.table().equals(change.getTable());
    }

    /** The field {@code name} of a row image. */
    static Field field(List<Field> row, String name) {
        Optional<Field> found = row.stream().filter(f -> f.getName().equals(name)).findFirst();
        assertNotNull(found.orElse(null), "no field " + name + " in " + row.stream().map(Field::getName).toList());
        return found.get();
    }

    /** The text of a DDL event's text column (binary text is its UTF-8 bytes). */
    static String ddlText(Change event, String column) {
        return field(event.getNewList(), column).getBinary().toStringUtf8();
    }

    @Override
    public void close() throws Exception {
        try {
            if (thread != null && thread.isAlive()) {
                stopAgent();
            }
            // Slots are per server and retain WAL: leave none behind.
            db.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot() + "'");
        } finally {
            reader.close();
        }
    }
}
