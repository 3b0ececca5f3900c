package dev.pgcapture.agent.dump;

import static dev.pgcapture.agent.dump.AgentServiceFixture.field;
import static dev.pgcapture.agent.dump.AgentServiceFixture.int4;
import static dev.pgcapture.agent.dump.AgentServiceFixture.int8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.TableDumpSnapshot;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.grpc.Status;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Table dumps on a replica that keeps changing: consistency, the interlock with the applier, waits. */
@ExtendWith(PostgresExtension.class)
class AgentDumpIT {

    private static final TableName TABLE = new TableName("Public", "T\"1");
    private static final int ROWS = 100_000;
    private static final long BASE = 0x1_0000_0000L;

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    /** Checkpoint {@code n} of the test's applier. */
    private static Lsn lsn(long n) {
        return new Lsn(BASE + n * 0x100);
    }

    @Test
    void tableDump_inFivePageChunksWhileRowsMove_returnsEveryRowOnceAsOfTheSnapshot(TestDatabase db) throws Exception {
        db.execute("CREATE SCHEMA \"Public\"",
                "CREATE TABLE " + TABLE.quoted() + " (id int PRIMARY KEY, v bigint NOT NULL, pad text NOT NULL)"
                        + " WITH (autovacuum_enabled = false)",
                "INSERT INTO " + TABLE.quoted() + " SELECT i, 0, repeat('x', 40) FROM generate_series(1, " + ROWS + ") i",
                "CREATE TABLE initial_pages AS SELECT id, (ctid::text::point)[0]::bigint AS page FROM " + TABLE.quoted());
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC())) {
            replica.applied(lsn(0), Instant.now());
            Map<Integer, Long> dumped = new HashMap<>();
            long snapshotIndex;
            long chunks = 0;
            long began;
            long tookMillis;
            try (RowWriter writer = new RowWriter(db, TABLE, ROWS, AgentDumpIT::lsn);
                    TableDumpClient client = new TableDumpClient(replica.async(), true)) {
                await().atMost(TableDumpClient.WAIT).until(() -> writer.committed() >= 3);
                long position = writer.committed();
                client.start(lsn(position), TABLE, null);
                TableDumpSnapshot snapshot = client.snapshot();
                began = System.nanoTime();
                snapshotIndex = (snapshot.getLsn() - BASE) / 0x100;
                assertEquals(lsn(snapshotIndex).value(), snapshot.getLsn(), "the snapshot LSN is a checkpoint the applier committed");
                assertTrue(snapshotIndex >= position, "the snapshot is at or after the caller's position");
                for (long begin = 0; begin < snapshot.getPages(); begin += 5) {
                    if (chunks % 10 == 0) { // let the applier commit between chunks
                        long mark = writer.committed();
                        await().atMost(TableDumpClient.WAIT).until(() -> writer.committed() > mark);
                    }
                    long end = begin + 5 >= snapshot.getPages() ? Chunk.Pages.MAX_PAGE : begin + 4; // the last chunk ends at the largest page
                    client.requestPages(begin, end);
                    for (Change row : client.rows(new Chunk.Pages(begin, end).end(0))) {
                        assertEquals(TABLE.schema(), row.getSchema());
                        assertEquals(TABLE.table(), row.getTable());
                        assertEquals(Change.Operation.UPDATE, row.getOp());
                        int id = int4(row, "id");
                        assertNull(dumped.put(id, int8(row, "v")), () -> "row " + id + " was dumped twice");
                    }
                    chunks++;
                }
                client.halfClose();
                client.awaitCompleted();
                tookMillis = (System.nanoTime() - began) / 1_000_000;
                assertTrue(writer.committed() > snapshotIndex + 10, "the applier kept committing during the dump");
                Map<Integer, Long> expected = writer.valuesAsOf(snapshotIndex);
                List<String> wrong = new ArrayList<>();
                for (int id = 1; id <= ROWS; id++) {
                    Long value = dumped.get(id);
                    long want = expected.getOrDefault(id, 0L);
                    if (value == null || value != want) {
                        wrong.add(id + ": " + value + " instead of " + want);
                    }
                }
                assertEquals(ROWS, dumped.size(), "every row once");
                assertTrue(wrong.isEmpty(), () -> wrong.size() + " rows are not as of the snapshot, e.g. " + wrong.subList(0, Math.min(5, wrong.size())));
            }
            long moved = count(db, "SELECT count(*) FROM " + TABLE.quoted() + " t JOIN initial_pages i USING (id)"
                    + " WHERE (t.ctid::text::point)[0]::bigint <> i.page");
            assertTrue(moved > 1000, "rows moved between pages: " + moved);
            System.out.printf("table dump: %d rows in %d chunks in %d ms while %d rows moved pages%n", dumped.size(), chunks, tookMillis, moved);
        }
    }

    @Test
    void truncateThroughTheInterlock_abortsTheTableDumpWithRedo_andDoesNotWaitForIt(TestDatabase db) throws Exception {
        TableName small = new TableName("public", "small");
        db.execute("CREATE TABLE small (id int PRIMARY KEY, pad text)",
                "INSERT INTO small SELECT i, repeat('p', 100) FROM generate_series(1, 5000) i");
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC());
                TableDumpClient dumping = new TableDumpClient(replica.async(), false);
                TableDumpClient next = new TableDumpClient(replica.async(), false)) {
            replica.applied(lsn(1), Instant.now());
            dumping.start(lsn(1), small, null);
            dumping.request(1);
            dumping.snapshot();
            dumping.requestWhole();
            dumping.request(10);
            for (int i = 0; i < 10; i++) {
                assertTrue(dumping.next().hasChange());
            }
            // The dump is now parked in the middle of its COPY, holding ACCESS SHARE on the table.
            await().atMost(TableDumpClient.WAIT).until(() -> replica.service.dumpsWaitingForReader() == 1);
            assertEquals(1, count(db, "SELECT count(*) FROM pg_locks WHERE relation = 'small'::regclass AND mode = 'AccessShareLock' AND granted"));

            long began = System.nanoTime();
            try (Connection applier = db.connect(); Statement s = applier.createStatement()) {
                applier.setAutoCommit(false);
                replica.registry.beforeExclusive(List.of(small));
                next.start(lsn(1), small, null); // a new dump of the table must wait until released
                next.request(1);
                await().atMost(TableDumpClient.WAIT).until(() -> replica.registry.waitingDumps() == 1);
                s.execute("SET LOCAL lock_timeout = '5s'");
                s.execute("TRUNCATE small");
                applier.commit();
                replica.registry.released();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "the TRUNCATE did not wait for the dump: " + took);

            dumping.request(Integer.MAX_VALUE);
            Status status = dumping.error();
            assertEquals(Status.Code.ABORTED, status.getCode());
            assertTrue(status.getDescription().startsWith("redo: table public.small was truncated or altered on the replica"),
                    status.getDescription());

            TableDumpSnapshot after = next.snapshot();
            assertEquals(0, after.getPages(), "the next dump sees the truncated table");
            next.requestWhole();
            next.request(1);
            assertEquals(List.of(), next.rows(new Chunk.Whole().end(0)));
            next.halfClose();
            next.awaitCompleted();
            System.out.printf("TRUNCATE through the interlock took %d ms%n", took.toMillis());
        }
    }

    @Test
    void tableDump_waitsForTheReplicaToReachMinLsn_orFailsNamingBothLsns(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)");
        TableName t = new TableName("public", "t");
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC());
                TableDumpClient tooFar = new TableDumpClient(replica.async(), true);
                TableDumpClient waiting = new TableDumpClient(replica.async(), true)) {
            replica.applied(lsn(5), Instant.now());

            tooFar.start(lsn(9), t, Duration.ofMillis(200));
            Status status = tooFar.error();
            assertEquals(Status.Code.FAILED_PRECONDITION, status.getCode());
            assertTrue(status.getDescription().contains(lsn(5).toString()) && status.getDescription().contains(lsn(9).toString()),
                    status.getDescription());

            waiting.start(lsn(7), t, Duration.ofSeconds(30));
            replica.applied(lsn(7), Instant.now());
            assertEquals(lsn(7).value(), waiting.snapshot().getLsn(), "the dump starts once the replica has applied min_lsn");
            waiting.requestWhole();
            assertEquals(1, waiting.rows(new Chunk.Whole().end(0)).size());
            waiting.halfClose();
            waiting.awaitCompleted();
        }
    }

    @Test
    void tableDump_ofAMissingTable_isNotFound(TestDatabase db) throws Exception {
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC());
                TableDumpClient client = new TableDumpClient(replica.async(), true)) {
            replica.applied(lsn(1), Instant.now());
            client.start(lsn(1), new TableName("public", "x\"; DROP TABLE y; --"), null);
            Status status = client.error();
            assertEquals(Status.Code.NOT_FOUND, status.getCode());
            assertEquals("table public.\"x\"\"; DROP TABLE y; --\" does not exist on the replica", status.getDescription());
        }
    }

    static long count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static String text(Change change, String name) {
        return field(change, name).getText();
    }
}
