package dev.pgcapture.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.agent.CaptureFixture.Transaction;
import dev.pgcapture.proto.Change;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connections lost under a running agent: it retries, and the topic still holds every change once, in order. */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class Pg2PulsarRecoveryIT {

    private static final int TRANSACTIONS = 300;
    private static final int ROWS_PER_TRANSACTION = 5;

    @Test
    void lostReplicationConnection_andTopicUnload_midStream_loseAndDuplicateNothing(TestDatabase db, TestPulsar pulsar) throws Exception {
        db.execute("CREATE TABLE events (id int PRIMARY KEY)");
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int t = 0; t < TRANSACTIONS; t++) {
                        int first = t * ROWS_PER_TRANSACTION + 1;
                        db.execute("INSERT INTO events SELECT generate_series(" + first + ", " + (first + ROWS_PER_TRANSACTION - 1) + ")");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Transaction> transactions = new ArrayList<>(capture.nextTransactions(TRANSACTIONS / 3));
            terminateWalsender(db, capture.slot());
            transactions.addAll(capture.nextTransactions(TRANSACTIONS / 3));
            pulsar.admin().topics().unload(capture.topic());
            transactions.addAll(capture.nextTransactions(TRANSACTIONS - transactions.size()));
            writer.join();

            List<Integer> ids = new ArrayList<>();
            for (Transaction transaction : transactions) {
                for (Change change : transaction.rowChanges()) {
                    ids.add(ByteBuffer.wrap(change.getNew(0).getBinary().toByteArray()).getInt());
                }
            }
            List<Integer> expected = new ArrayList<>();
            for (int id = 1; id <= TRANSACTIONS * ROWS_PER_TRANSACTION; id++) {
                expected.add(id);
            }
            assertEquals(expected, ids, "every row once, in commit order");
            db.execute("INSERT INTO events VALUES (0)");
            assertEquals(1, capture.nextTransaction().rowChanges().size(), "nothing more than the next transaction follows");
        }
    }

    private static void terminateWalsender(TestDatabase db, String slot) throws Exception {
        try (Connection c = db.connect(); ResultSet row = c.createStatement().executeQuery(
                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '" + slot + "' AND active")) {
            assertEquals(true, row.next() && row.getBoolean(1), "the agent's walsender was running and is terminated");
        }
    }
}
