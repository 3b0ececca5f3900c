package dev.pgcapture.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.pgcapture.agent.ReplicaPipeline;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.TableName;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Through the whole system (PostgreSQL, pg2pulsar, Pulsar, pulsar2pg, the agent, the controller
 * and the gateway): a live change reaches the client with the time its transaction committed on
 * the source, and a dump row with none.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class CommitTimeIT {

    private static final int ROWS = 300;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void liveChange_carriesItsSourceCommitTime_andDumpRowsCarryNone(TestDatabase source, TestDatabase replica, TestDatabase store,
            TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY, note text NOT NULL)",
                "INSERT INTO items SELECT i, 'seeded' FROM generate_series(1, " + ROWS + ") i");
        List<CaptureMessage> received = new CopyOnWriteArrayList<>();
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar);
                GatewayStack stack = GatewayStack.withDumps(pulsar, p.capture().topic(), p.agent().getChannel(), store);
                StubConsumer consumer = StubConsumer.start(stack.channel, GatewayStack.URI, Map.of("Mode", "exact", "TableRegex", "^items$"),
                        100, message -> {
                            received.add(message);
                            return null;
                        })) {
            // PostgreSQL stamps the commit with this machine's clock, to the microsecond; the agent records milliseconds.
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            try (Connection c = source.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO items VALUES (" + (ROWS + 1) + ", 'live')");
                s.execute("UPDATE items SET note = 'changed' WHERE id = 1");
                c.commit();
            }
            Instant after = Instant.now();
            await("the transaction's two changes").atMost(WAIT).until(() -> {
                consumer.check();
                return live(received).size() == 2;
            });
            List<CaptureMessage> changes = live(received);
            for (CaptureMessage change : changes) {
                assertTrue(change.hasCommitTime(), "a live change has a commit time: " + change.getCheckpoint());
                Instant committed = instant(change.getCommitTime());
                assertFalse(committed.isBefore(before) || committed.isAfter(after),
                        "committed at " + committed + ", between " + before + " and " + after);
            }
            assertEquals(changes.get(0).getCommitTime(), changes.get(1).getCommitTime(), "one transaction, one commit time");
            assertEquals(0, instant(changes.get(0).getCommitTime()).getNano() % 1_000_000, "milliseconds, as Pulsar's event time holds");

            stack.controller().scheduleTables(ScheduleTablesRequest.newBuilder().setUri(GatewayStack.URI)
                    .addTables(TableName.newBuilder().setSchema("public").setTable("items")).setPagesPerChunk(1).build());
            await("every row of the dump").atMost(WAIT).until(() -> {
                consumer.check();
                p.checkApplier();
                return dumpRows(received).size() >= ROWS + 1;
            });
            List<CaptureMessage> rows = dumpRows(received);
            assertTrue(rows.stream().noneMatch(CaptureMessage::hasCommitTime), "no dump row has a commit time");
            assertTrue(rows.stream().allMatch(row -> row.getSnapshotLsn() != 0), "dump rows carry their snapshot LSN instead");
            System.out.printf("commit time: a live transaction committed within [%s, %s] arrived stamped %s; %d dump rows unstamped%n",
                    before, after, instant(changes.get(0).getCommitTime()), rows.size());
        }
    }

    private static List<CaptureMessage> live(List<CaptureMessage> received) {
        return received.stream().filter(m -> m.getCheckpoint().getLsn() != 0).toList();
    }

    private static List<CaptureMessage> dumpRows(List<CaptureMessage> received) {
        return received.stream().filter(m -> m.getCheckpoint().getLsn() == 0).toList();
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
