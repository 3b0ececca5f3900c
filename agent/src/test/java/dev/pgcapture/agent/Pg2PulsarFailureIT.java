package dev.pgcapture.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The failures pg2pulsar must stop on, with a message that says what to do, instead of retrying or skipping. */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class Pg2PulsarFailureIT {

    @Test
    void columnTypeWithoutBinaryOutput_addedAfterInit_stopsTheAgentNamingTableColumnTypeAndBothWaysOut(TestDatabase db, TestPulsar pulsar)
            throws Exception {
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            db.execute("CREATE TABLE grants (id int PRIMARY KEY, acl aclitem[])",
                    "INSERT INTO grants VALUES (1, ARRAY[makeaclitem('postgres'::regrole, 'postgres'::regrole, 'SELECT', false)])");

            Throwable failure = capture.awaitFailure();

            FatalAgentException fatal = assertInstanceOf(FatalAgentException.class, failure);
            String message = fatal.getMessage();
            assertTrue(message.contains("public.grants column \"acl\" (aclitem[])"), message);
            assertTrue(message.contains("--binary=false") && message.contains("pgcapture init --tables"), message);
        }
    }

    @Test
    void missingSlot_stopsTheAgentWithReseedNeeded_andIsNotRecreated(TestDatabase db, TestPulsar pulsar) throws Exception {
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            capture.nextTransactions(2);
            capture.stopAgent();
            db.execute("SELECT pg_drop_replication_slot('" + capture.slot() + "')");

            capture.startAgent();
            Throwable failure = capture.awaitFailure();

            FatalAgentException fatal = assertInstanceOf(FatalAgentException.class, failure);
            assertTrue(fatal.getMessage().contains("re-seed needed"), fatal.getMessage());
            try (var c = db.connect(); var row = c.createStatement().executeQuery(
                    "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + capture.slot() + "'")) {
                row.next();
                assertEquals(0, row.getInt(1), "the agent must not recreate the slot");
            }
        }
    }

    @Test
    void slotInvalidatedByMaxSlotWalKeepSize_stopsTheAgentWithReseedNeeded(TestDatabase db, TestPulsar pulsar) throws Exception {
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            db.execute("CREATE TABLE filler (x int)");
            capture.nextTransactions(1);
            capture.stopAgent();
            try {
                // Server-wide and reloadable; put back below so later tests keep their slots.
                db.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'", "SELECT pg_reload_conf()");
                for (int i = 0; i < 4; i++) {
                    db.execute("INSERT INTO filler SELECT generate_series(1, 20000)", "SELECT pg_switch_wal()");
                }
                db.execute("CHECKPOINT");
                try (var c = db.connect(); var row = c.createStatement().executeQuery(
                        "SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + capture.slot() + "'")) {
                    row.next();
                    assertEquals("lost", row.getString(1), "the test must have invalidated the slot");
                }
            } finally {
                db.execute("ALTER SYSTEM RESET max_slot_wal_keep_size", "SELECT pg_reload_conf()");
            }

            capture.startAgent();
            Throwable failure = capture.awaitFailure();

            FatalAgentException fatal = assertInstanceOf(FatalAgentException.class, failure);
            assertTrue(fatal.getMessage().contains("was invalidated") && fatal.getMessage().contains("re-seed needed"), fatal.getMessage());
        }
    }
}
