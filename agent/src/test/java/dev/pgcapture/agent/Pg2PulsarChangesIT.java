package dev.pgcapture.agent;

import static dev.pgcapture.agent.CaptureFixture.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture.Transaction;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Change.Operation;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.TableName;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPostgres;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pg2pulsar against real PostgreSQL and Pulsar: what arrives in the topic, and what the slot confirms. */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class Pg2PulsarChangesIT {

    private static final String EVERY_TYPE = """
            CREATE TABLE public.every_type (id int PRIMARY KEY, big bigint, t text, num numeric, flag bool,
              at timestamptz, u uuid, doc jsonb, raw bytea, arr int[])""";

    @Test
    void changes_arriveInCommitOrder_withByteExactBinaryValues(TestDatabase db, TestPulsar pulsar) throws Exception {
        db.execute(EVERY_TYPE);
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            db.execute("""
                    INSERT INTO every_type VALUES
                      (1, 9007199254740993, 'héllo', 12345.678900, true, '2026-11-21 10:11:12.345678+01',
                       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": [1, 2.5, null]}', '\\x00ff10', '{{1,2},{3,NULL}}'),
                      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""");
            Map<String, byte[]> row1 = sentValues(db, 1);
            db.execute("UPDATE every_type SET t = 'changed', num = 'NaN' WHERE id = 1");
            Map<String, byte[]> row1Updated = sentValues(db, 1);
            db.execute("DELETE FROM every_type WHERE id = 2");
            db.execute("TRUNCATE every_type");

            List<Transaction> transactions = capture.nextTransactions(4);

            List<Change> inserts = transactions.get(0).rowChanges();
            assertEquals(List.of(Operation.INSERT, Operation.INSERT), inserts.stream().map(Change::getOp).toList());
            assertBinaryRow(row1, inserts.get(0).getNewList());
            Change nulls = inserts.get(1);
            assertEquals(10, nulls.getNewCount());
            for (Field f : nulls.getNewList()) {
                if (!f.getName().equals("id")) {
                    assertEquals(Field.ValueCase.VALUE_NOT_SET, f.getValueCase(), "SQL NULL is a field without a value: " + f);
                }
            }

            Change update = transactions.get(1).rowChanges().getFirst();
            assertEquals(Operation.UPDATE, update.getOp());
            assertBinaryRow(row1Updated, update.getNewList());

            Change delete = transactions.get(2).rowChanges().getFirst();
            assertEquals(Operation.DELETE, delete.getOp());
            assertEquals(List.of("id"), delete.getOldList().stream().map(Field::getName).toList(), "a key old tuple carries the key");
            assertArrayEquals(new byte[] {0, 0, 0, 2}, field(delete.getOldList(), "id").getBinary().toByteArray());

            Change truncate = transactions.get(3).rowChanges().getFirst();
            assertEquals(Operation.TRUNCATE, truncate.getOp());
            assertEquals("every_type", truncate.getTable());

            for (int i = 1; i < transactions.size(); i++) {
                assertTrue(Long.compareUnsigned(transactions.get(i - 1).commit().message().getCommit().getCommitLsn(),
                        transactions.get(i).commit().message().getCommit().getCommitLsn()) < 0, "commit order");
            }
        }
    }

    @Test
    void truncateCascade_ofTablesLinkedByAForeignKey_arrivesAsOneEventWithBothTablesAndItsFlags(TestDatabase db, TestPulsar pulsar)
            throws Exception {
        db.execute("CREATE TABLE parent (id serial PRIMARY KEY)",
                "CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent)");
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            db.execute("INSERT INTO parent DEFAULT VALUES", "INSERT INTO child VALUES (1, 1)",
                    "TRUNCATE parent RESTART IDENTITY CASCADE");

            List<Transaction> transactions = capture.nextTransactions(3);

            List<Change> changes = transactions.get(2).rowChanges();
            assertEquals(1, changes.size(), "one event for the whole TRUNCATE: " + changes);
            Change truncate = changes.getFirst();
            assertEquals(Operation.TRUNCATE, truncate.getOp());
            assertEquals(List.of(table("public", "parent"), table("public", "child")), truncate.getTruncate().getTablesList());
            assertTrue(truncate.getTruncate().getCascade(), "CASCADE");
            assertTrue(truncate.getTruncate().getRestartIdentity(), "RESTART IDENTITY");
        }
    }

    @Test
    void sixMegabyteRow_goesThroughByteExact(TestDatabase db, TestPulsar pulsar) throws Exception {
        db.execute("CREATE TABLE blobs (id int PRIMARY KEY, raw bytea)", "ALTER TABLE blobs ALTER raw SET STORAGE EXTERNAL");
        byte[] value = new byte[6 * 1024 * 1024];
        new Random(42).nextBytes(value);
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar); Connection c = db.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO blobs VALUES (?, ?)")) {
            insert.setInt(1, 1);
            insert.setBytes(2, value);
            insert.executeUpdate();
            c.createStatement().execute("INSERT INTO blobs VALUES (2, '\\x01')");

            List<Transaction> transactions = capture.nextTransactions(2);

            assertArrayEquals(value, field(transactions.get(0).rowChanges().getFirst().getNewList(), "raw").getBinary().toByteArray());
            assertEquals(2, transactions.get(1).rowChanges().getFirst().getNew(0).getBinary().asReadOnlyByteBuffer().getInt(),
                    "the change after the big row arrives too");
        }
    }

    @Test
    void update_leavingA500KilobyteToastedColumnUnchanged_reportsItUnchanged_notNull(TestDatabase db, TestPulsar pulsar) throws Exception {
        db.execute("CREATE TABLE docs (id int PRIMARY KEY, n int, body text)", "ALTER TABLE docs ALTER body SET STORAGE EXTERNAL");
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            db.execute("INSERT INTO docs SELECT 1, 1, string_agg(md5(g::text), '') FROM generate_series(1, 16000) g",
                    "UPDATE docs SET n = 2 WHERE id = 1");

            List<Transaction> transactions = capture.nextTransactions(2);

            assertEquals(512_000, field(transactions.get(0).rowChanges().getFirst().getNewList(), "body").getBinary().size());
            Change update = transactions.get(1).rowChanges().getFirst();
            assertEquals(List.of("body"), update.getUnchangedToastList());
            assertFalse(update.getNewList().stream().anyMatch(f -> f.getName().equals("body")),
                    "an unchanged TOAST column is named, never sent as NULL: " + update.getNewList());
            assertArrayEquals(new byte[] {0, 0, 0, 2}, field(update.getNewList(), "n").getBinary().toByteArray());
        }
    }

    @Test
    void slot_isConfirmedThroughTheLastPublishedTransaction_andKeepsAdvancingWhileTheDatabaseIsIdle(
            TestPostgres postgres, TestDatabase db, TestPulsar pulsar) throws Exception {
        db.execute("CREATE TABLE ticks (id int PRIMARY KEY)");
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            for (int i = 1; i <= 20; i++) {
                db.execute("INSERT INTO ticks VALUES (" + i + ")");
            }
            List<Transaction> transactions = capture.nextTransactions(20);
            Lsn lastEnd = new Lsn(transactions.getLast().commitEnd());

            Lsn confirmed = capture.awaitConfirmedAtLeast(lastEnd);
            assertTrue(!confirmed.isAfter(currentWalInsertLsn(db)), "confirmed " + confirmed + " is past the end of the WAL");

            // Only another database writes now: this one's slot must still move, or WAL piles up.
            TestDatabase other = postgres.newDatabase();
            other.execute("CREATE TABLE busy (id int)", "INSERT INTO busy SELECT generate_series(1, 1000)");
            Lsn otherEnd = currentWalInsertLsn(other);
            capture.awaitConfirmedAtLeast(otherEnd);
        }
    }

    /** What the binary send function of each column gives for row {@code id}: what pgoutput sends. */
    private static Map<String, byte[]> sentValues(TestDatabase db, int id) throws Exception {
        String sql = "SELECT int4send(id) AS id, int8send(big) AS big, textsend(t) AS t, numeric_send(num) AS num, boolsend(flag) AS flag,"
                + " timestamptz_send(at) AS at, uuid_send(u) AS u, jsonb_send(doc) AS doc, byteasend(raw) AS raw, array_send(arr) AS arr"
                + " FROM every_type WHERE id = " + id;
        Map<String, byte[]> values = new LinkedHashMap<>();
        try (Connection c = db.connect(); ResultSet row = c.createStatement().executeQuery(sql)) {
            assertTrue(row.next());
            ResultSetMetaData meta = row.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                values.put(meta.getColumnLabel(i), row.getBytes(i));
            }
        }
        return values;
    }

    private static void assertBinaryRow(Map<String, byte[]> expected, List<Field> row) {
        assertEquals(List.copyOf(expected.keySet()), row.stream().map(Field::getName).toList(), "columns in table order");
        for (Field f : row) {
            assertEquals(Field.ValueCase.BINARY, f.getValueCase(), "column " + f.getName() + " in binary");
            assertArrayEquals(expected.get(f.getName()), f.getBinary().toByteArray(), "column " + f.getName());
            assertTrue(f.getOid() > 0, "column " + f.getName() + " carries its type OID");
        }
    }

    private static TableName table(String schema, String name) {
        return TableName.newBuilder().setSchema(schema).setTable(name).build();
    }

    private static Lsn currentWalInsertLsn(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); ResultSet row = c.createStatement().executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            row.next();
            return Lsn.parse(row.getString(1));
        }
    }
}
