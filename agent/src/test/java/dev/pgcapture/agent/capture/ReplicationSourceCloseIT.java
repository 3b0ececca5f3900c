package dev.pgcapture.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ReplicationSource#close} against a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class ReplicationSourceCloseIT {

    private static final Duration READ = Duration.ofSeconds(30);

    /**
     * Regression: forced status updates are rate-limited to one a second, and close() sent one
     * only when the position had moved since it was last handed to pgjdbc. A transaction
     * acknowledged less than a second after the previous forced update was handed over but never
     * sent, so a clean stop (SIGTERM) left it unconfirmed on the slot.
     */
    @Test
    void close_lessThanASecondAfterTheLastForcedStatus_stillConfirmsTheAcknowledgedTransaction(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id bigint PRIMARY KEY)");
        String publication = db.createPublicationForAllTables();
        String slot = db.createPgoutputSlot();
        CaptureSettings settings = CaptureSettings.defaults().withSlot(slot).withPublication(publication)
                // pgjdbc's own periodic status must not send the position for us.
                .withStatusInterval(Duration.ofHours(1));
        Lsn commitEnd;
        try (ReplicationSource source = new ReplicationSource(PostgresUrl.parse(db.jdbcUrl()), settings)) {
            source.capture(Checkpoint.ZERO);
            assertEquals(null, source.next(Duration.ofMillis(10)), "a message before anything was written");
            db.execute("INSERT INTO items VALUES (1)");
            SourceMessage message;
            do {
                message = source.next(READ);
                assertTrue(message != null, "no Commit within " + READ);
            } while (!message.message().hasCommit());
            commitEnd = new Lsn(message.message().getCommit().getEndLsn());
            source.commit(message.checkpoint());
            source.next(Duration.ofMillis(1)); // hands the position to pgjdbc
        }
        assertEquals(commitEnd, confirmedFlush(db, slot), "slot " + slot + " confirmed_flush_lsn after close");
    }

    private static Lsn confirmedFlush(TestDatabase db, String slot) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet row = s.executeQuery()) {
                assertTrue(row.next(), "slot " + slot + " is gone");
                return Lsn.parse(row.getString(1));
            }
        }
    }
}
