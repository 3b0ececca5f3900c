package dev.pgcapture.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture.Transaction;
import dev.pgcapture.agent.dump.TableDumpClient;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.ChunkEnd;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.PageRange;
import dev.pgcapture.proto.TableDumpSnapshot;
import dev.pgcapture.proto.WholeTable;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dumps of a replica that the real applier keeps changing: the Agent service and pulsar2pg share
 * one {@link dev.pgcapture.agent.dump.DumpRegistry}, the replica is seeded by {@code seed}, and
 * every change comes from the source through pg2pulsar's topic.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class ReplicaDumpIT {

    private static final TableName TABLE = new TableName("Public", "T\"1");
    private static final int ROWS = 100_000;
    private static final long MAX_PAGE = 0xFFFF_FFFFL;

    @Test
    void tableDumpInFivePageChunks_whileTheApplierMovesRows_returnsEveryRowOnceAsOfTheSnapshotCheckpoint(TestDatabase source,
            TestDatabase replica, TestPulsar pulsar) throws Exception {
        source.execute("CREATE SCHEMA \"Public\"",
                "CREATE TABLE " + TABLE.quoted() + " (id int PRIMARY KEY, v bigint NOT NULL, pad text NOT NULL)",
                "INSERT INTO " + TABLE.quoted() + " SELECT i, 0, repeat('x', 40) FROM generate_series(1, " + ROWS + ") i");
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar)) {
            Map<Integer, Long> pagesBefore = pages(replica);
            Map<Integer, Long> dumped = new HashMap<>();
            TableDumpSnapshot snapshot;
            long chunks = 0;
            long tookMillis;
            try (Updater updater = new Updater(source);
                    TableDumpClient client = new TableDumpClient(p.agent(), true)) {
                Lsn applied = p.position().checkpoint().lsn();
                await().atMost(ReplicaPipeline.WAIT).until(() -> p.position().checkpoint().lsn().isAfter(applied) && updater.committed() > 20);
                client.start(p.position().checkpoint().lsn(), TABLE, null);
                snapshot = client.snapshot();
                long began = System.nanoTime();
                for (long begin = 0; begin < snapshot.getPages(); begin += 5) {
                    if (chunks % 10 == 0) { // the applier commits between chunks
                        Lsn mark = p.position().checkpoint().lsn();
                        await().atMost(ReplicaPipeline.WAIT).until(() -> {
                            p.checkApplier();
                            return p.position().checkpoint().lsn().isAfter(mark);
                        });
                    }
                    long end = begin + 5 >= snapshot.getPages() ? MAX_PAGE : begin + 4; // the last chunk ends at the largest page
                    client.requestPages(begin, end);
                    ChunkEnd expectedEnd = ChunkEnd.newBuilder()
                            .setPages(PageRange.newBuilder().setPageBegin((int) begin).setPageEnd((int) end)).build();
                    for (Change row : client.rows(expectedEnd)) {
                        assertEquals(TABLE.schema(), row.getSchema());
                        assertEquals(TABLE.table(), row.getTable());
                        int id = int4(field(row, "id"));
                        assertNull(dumped.put(id, int8(field(row, "v"))), () -> "row " + id + " was dumped twice");
                    }
                    chunks++;
                }
                client.halfClose();
                client.awaitCompleted();
                tookMillis = (System.nanoTime() - began) / 1_000_000;
            }
            Lsn snapshotLsn = new Lsn(snapshot.getLsn());
            assertTrue(p.position().checkpoint().lsn().isAfter(snapshotLsn), "the applier kept committing during the dump");

            Map<Integer, Long> expected = stateAsOf(p.capture(), snapshotLsn);
            List<String> wrong = new ArrayList<>();
            for (int id = 1; id <= ROWS; id++) {
                Long value = dumped.get(id);
                long want = expected.getOrDefault(id, 0L);
                if (value == null || value != want) {
                    wrong.add(id + ": " + value + " instead of " + want);
                }
            }
            assertEquals(ROWS, dumped.size(), "every row once");
            assertTrue(wrong.isEmpty(), () -> wrong.size() + " rows are not as of the snapshot's checkpoint " + snapshotLsn + ", e.g. "
                    + wrong.subList(0, Math.min(5, wrong.size())));
            Map<Integer, Long> pagesAfter = pages(replica);
            long moved = pagesBefore.keySet().stream().filter(id -> !pagesBefore.get(id).equals(pagesAfter.get(id))).count();
            assertTrue(moved > 1000, "the applier moved rows between pages on the replica: " + moved);
            System.out.printf("table dump with the real applier: %d rows in %d chunks in %d ms while %d rows moved pages%n",
                    dumped.size(), chunks, tookMillis, moved);
            p.awaitCaughtUp();
            p.assertSameRows(TABLE);
        }
    }

    @Test
    void truncateAppliedDuringATableDump_cancelsItWithRedo_andTheApplierMovesPastItPromptly(TestDatabase source, TestDatabase replica,
            TestPulsar pulsar) throws Exception {
        TableName small = new TableName("public", "small");
        source.execute("CREATE TABLE small (id int PRIMARY KEY, pad text)",
                "INSERT INTO small SELECT i, repeat('p', 100) FROM generate_series(1, 5000) i");
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar);
                TableDumpClient dumping = new TableDumpClient(p.agent(), false)) {
            dumping.start(p.position().checkpoint().lsn(), small, null);
            dumping.request(1);
            dumping.snapshot();
            dumping.requestWhole();
            dumping.request(10);
            for (int i = 0; i < 10; i++) {
                assertTrue(dumping.next().hasChange());
            }
            // The dump is parked in the middle of its COPY, holding ACCESS SHARE on the replica's table.
            await().atMost(ReplicaPipeline.WAIT).until(() -> p.service().dumpsWaitingForReader() == 1);
            assertEquals(1, count(replica, "SELECT count(*) FROM pg_locks WHERE relation = 'small'::regclass AND mode = 'AccessShareLock' "
                    + "AND granted"));

            Lsn beforeTruncate = ReplicaFixture.insertLsn(source);
            long began = System.nanoTime();
            // The caller neither reads on nor closes its side: the applier must not depend on it.
            source.execute("TRUNCATE small", "INSERT INTO small VALUES (1, 'after')");
            await("the applier past the TRUNCATE").atMost(ReplicaPipeline.WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                p.checkApplier();
                return p.position().checkpoint().lsn().isAfter(beforeTruncate);
            });
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertTrue(took.compareTo(ReplicaPipeline.LIMITS.cancelGrace()) < 0,
                    "the TRUNCATE was applied within " + took + ": the dump was cancelled, not waited for or terminated");

            dumping.request(Integer.MAX_VALUE);
            Status status = dumping.error();
            assertEquals(Status.Code.ABORTED, status.getCode());
            assertTrue(status.getDescription().startsWith("redo: table public.small "), status.getDescription());

            p.awaitCaughtUp();
            p.assertSameRows(small);
            try (TableDumpClient again = new TableDumpClient(p.agent(), true)) {
                again.start(p.position().checkpoint().lsn(), small, null);
                again.snapshot();
                again.requestWhole();
                List<Change> rows = again.rows(ChunkEnd.newBuilder().setWhole(WholeTable.getDefaultInstance()).build());
                assertEquals(List.of(1), rows.stream().map(r -> int4(field(r, "id"))).toList(), "the redone dump sees the truncated table");
                again.halfClose();
                again.awaitCompleted();
            }
            System.out.printf("TRUNCATE applied past an open table dump in %d ms%n", took.toMillis());
        }
    }

    @Test
    void enumColumnsOfASeededTable_dumpRowsCarryTheSourcesTypeOids(TestDatabase source, TestDatabase replica, TestPulsar pulsar)
            throws Exception {
        source.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE feelings (id int PRIMARY KEY, mood mood NOT NULL, moods mood[])",
                "INSERT INTO feelings VALUES (1, 'sad', '{ok,happy}'), (2, 'happy', NULL)");
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar)) {
            source.execute("INSERT INTO feelings VALUES (3, 'ok', '{sad}')", "UPDATE feelings SET moods = '{happy,sad}' WHERE id = 2");
            p.awaitCaughtUp();
            p.assertReplicaEqualsSource();
            long sourceMood = count(source, "SELECT 'mood'::regtype::oid");
            long sourceMoods = count(source, "SELECT '_mood'::regtype::oid");
            assertNotEquals(sourceMood, count(replica, "SELECT 'mood'::regtype::oid"), "the replica's enum has an OID of its own");

            List<Change> rows;
            try (TableDumpClient client = new TableDumpClient(p.agent(), true)) {
                client.start(p.position().checkpoint().lsn(), new TableName("public", "feelings"), null);
                client.snapshot();
                client.requestWhole();
                rows = client.rows(ChunkEnd.newBuilder().setWhole(WholeTable.getDefaultInstance()).build());
                client.halfClose();
                client.awaitCompleted();
            }
            assertEquals(3, rows.size());
            for (Change row : rows) {
                assertEquals(sourceMood, field(row, "mood").getOid(), "the enum column carries the source's type OID");
                assertEquals(sourceMoods, field(row, "moods").getOid(), "the enum array column carries the source's array type OID");
                ByteBuffer array = field(row, "moods").getBinary().asReadOnlyByteBuffer();
                assertEquals(sourceMood, Integer.toUnsignedLong(array.getInt(8)), "the array's element OID is the source's");
            }
        }
    }

    /** Updates random rows on the source, transaction {@code n} setting {@code v = n} and widening {@code pad}, so rows leave their page. */
    private static final class Updater implements AutoCloseable {

        private final AtomicLong committed = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean stopped;

        Updater(TestDatabase db) {
            thread = Thread.ofPlatform().name("source-updater").start(() -> run(db));
        }

        private void run(TestDatabase db) {
            Random random = new Random(42);
            String update = "UPDATE " + TABLE.quoted() + " SET v = ?, pad = repeat('y', ?) WHERE id = ANY (?)";
            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(update)) {
                for (long n = 1; !stopped; n++) {
                    Integer[] ids = random.ints(40, 1, ROWS + 1).boxed().toArray(Integer[]::new);
                    s.setLong(1, n);
                    s.setInt(2, 40 + (int) (n % 40));
                    s.setArray(3, c.createArrayOf("int4", ids));
                    s.executeUpdate();
                    committed.set(n);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        long committed() {
            if (failure.get() != null) {
                throw new AssertionError("the source updater failed", failure.get());
            }
            return committed.get();
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join();
            committed();
        }
    }

    /** Each row's {@code v} after every source transaction with commit LSN up to {@code lsn}, which must be one's commit LSN. */
    private static Map<Integer, Long> stateAsOf(CaptureFixture capture, Lsn lsn) throws Exception {
        Map<Integer, Long> values = new HashMap<>();
        while (true) {
            Transaction tx = capture.nextTransaction();
            Lsn commit = tx.commit().checkpoint().lsn();
            assertFalse(commit.isAfter(lsn), "the snapshot LSN " + lsn + " is the commit LSN of a source transaction in the topic");
            for (Change change : tx.rowChanges()) {
                if (change.getTable().equals(TABLE.table())) {
                    values.put(int4(CaptureFixture.field(change.getNewList(), "id")), int8(CaptureFixture.field(change.getNewList(), "v")));
                }
            }
            if (commit.equals(lsn)) {
                return values;
            }
        }
    }

    /** Each row's page on the replica. */
    private static Map<Integer, Long> pages(TestDatabase replica) throws Exception {
        Map<Integer, Long> pages = new HashMap<>();
        try (Connection c = replica.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id, (ctid::text::point)[0]::bigint FROM " + TABLE.quoted())) {
            while (r.next()) {
                pages.put(r.getInt(1), r.getLong(2));
            }
        }
        return pages;
    }

    private static Field field(Change row, String name) {
        return CaptureFixture.field(row.getNewList(), name);
    }

    private static int int4(Field field) {
        return field.getBinary().asReadOnlyByteBuffer().getInt();
    }

    private static long int8(Field field) {
        return field.getBinary().asReadOnlyByteBuffer().getLong();
    }

    private static long count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
