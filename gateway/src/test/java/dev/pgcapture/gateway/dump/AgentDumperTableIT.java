package dev.pgcapture.gateway.dump;

import static dev.pgcapture.gateway.dump.Rows.count;
import static dev.pgcapture.gateway.dump.Rows.drain;
import static dev.pgcapture.gateway.dump.Rows.int4;
import static dev.pgcapture.gateway.dump.Rows.int8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.dump.AgentServiceFixture;
import dev.pgcapture.core.DumpRedoException;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.NoSuchTableException;
import dev.pgcapture.core.SourceDumper.Dump;
import dev.pgcapture.core.SourceDumper.TableSnapshot;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AgentDumper#table} against a real {@code AgentService} on a real replica, served in process. */
@ExtendWith(PostgresExtension.class)
class AgentDumperTableIT {

    private static final Lsn APPLIED = Lsn.parse("5/A0");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LAST_PAGE = -1; // 4294967295 unsigned: a last chunk runs to the largest page
    private static final TableName MOVING = new TableName("public", "moving");
    private static final TableName SMALL = new TableName("public", "small");

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    private AgentServiceFixture replica(TestDatabase db) throws Exception {
        AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC());
        replica.applied(APPLIED, Instant.now());
        return replica;
    }

    @Test
    void table_readInChunksWhileRowsMoveBetweenPages_returnsEveryRowOnceAsOfItsSnapshot(TestDatabase db) throws Exception {
        int rows = 20_000;
        db.execute("CREATE TABLE moving (id int PRIMARY KEY, v bigint NOT NULL, pad text NOT NULL) WITH (autovacuum_enabled = false)",
                // rows deleted at the front leave free space there, so that moved rows go back as well as forward
                "INSERT INTO moving SELECT -i, 0, repeat('f', 40) FROM generate_series(1, 2000) i",
                "INSERT INTO moving SELECT i, 0, repeat('x', 40) FROM generate_series(1, " + rows + ") i",
                "DELETE FROM moving WHERE id < 0",
                "VACUUM moving",
                "CREATE TABLE initial_pages AS SELECT id, (ctid::text::point)[0]::bigint AS page FROM moving");
        Map<Integer, Long> dumped = new HashMap<>();
        int chunks = 0;
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults().withBufferRows(16));
                Connection mover = db.connect();
                PreparedStatement move = mover.prepareStatement("UPDATE moving SET v = ?, pad = repeat('y', ?) WHERE id = ANY (?)");
                TableSnapshot snapshot = dumper.table(APPLIED, MOVING)) {
            assertEquals(APPLIED, snapshot.snapshotLsn());
            long pages = snapshot.pages();
            assertTrue(pages > 100, "pages: " + pages);
            Random random = new Random(7);
            for (long begin = 0; begin < pages; begin += 10) {
                int end = begin + 10 >= pages ? LAST_PAGE : (int) begin + 9;
                try (Dump chunk = snapshot.chunk((int) begin, end)) {
                    assertEquals(APPLIED, chunk.snapshotLsn());
                    for (Change row : drain(chunk)) {
                        int id = int4(row, "id");
                        assertNull(dumped.put(id, int8(row, "v")), () -> "row " + id + " was dumped twice");
                    }
                }
                chunks++;
                // Another session moves 200 rows to other pages (a wider pad: no HOT update), committed between chunks.
                move.setLong(1, chunks);
                move.setInt(2, 60 + chunks);
                move.setArray(3, mover.createArrayOf("int4", random.ints(200, 1, rows + 1).boxed().toArray()));
                move.executeUpdate();
            }
        }
        assertEquals(rows, dumped.size(), "every row once");
        for (int id = 1; id <= rows; id++) {
            assertEquals(0L, dumped.get(id), "row " + id + " as of the snapshot, before any move");
        }
        long back = count(db, "SELECT count(*) FROM moving t JOIN initial_pages i USING (id) WHERE (t.ctid::text::point)[0]::bigint < i.page");
        long forward = count(db, "SELECT count(*) FROM moving t JOIN initial_pages i USING (id) WHERE (t.ctid::text::point)[0]::bigint > i.page");
        assertTrue(back > 100 && forward > 100, "rows moved to earlier pages (" + back + ") and to later ones (" + forward + ")");
        System.out.printf("table dump through AgentDumper: %d rows in %d chunks while %d rows moved back and %d forward%n",
                dumped.size(), chunks, back, forward);
    }

    @Test
    void table_slowReader_holdsAtMostTheRowBuffer_andTheAgentReadsNoFurtherAhead(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE small (id int PRIMARY KEY, pad text)", "INSERT INTO small SELECT i, repeat('p', 100) FROM generate_series(1, 5000) i");
        int buffer = 8;
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults().withBufferRows(buffer));
                TableSnapshot snapshot = dumper.table(APPLIED, SMALL)) {
            TableSession session = (TableSession) snapshot;
            Dump chunk = snapshot.chunk(0, LAST_PAGE);
            long maxAhead = 0;
            for (int taken = 1; taken <= 50; taken++) {
                assertNotNull(chunk.next());
                await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> replica.service.dumpsWaitingForReader() == 1);
                assertTrue(session.buffered() <= buffer, "rows buffered: " + session.buffered());
                long ahead = replica.service.rowsRead() - taken;
                maxAhead = Math.max(maxAhead, ahead);
                assertTrue(ahead <= buffer + 1, "the agent read " + ahead + " rows ahead of the reader");
            }
            IllegalStateException second = assertThrows(IllegalStateException.class, () -> snapshot.chunk(0, 0));
            assertTrue(second.getMessage().startsWith("chunk pages 0..4294967295 of public.small is not read to its end"), second.getMessage());
            assertEquals(5000 - 50, drain(chunk).size(), "the open chunk reads on after the refused one");
            System.out.printf("slow table dump reader: buffer %d rows, the agent at most %d rows ahead%n", buffer, maxAhead);
        }
    }

    @Test
    void table_truncatedThroughTheInterlockInTheMiddleOfAChunk_isDumpRedoException_andStartsOverEmpty(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE small (id int PRIMARY KEY, pad text)", "INSERT INTO small SELECT i, repeat('p', 100) FROM generate_series(1, 5000) i");
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults().withBufferRows(4))) {
            try (TableSnapshot snapshot = dumper.table(APPLIED, SMALL)) {
                Dump chunk = snapshot.chunk(0, LAST_PAGE);
                for (int i = 0; i < 10; i++) {
                    assertNotNull(chunk.next());
                }
                await().atMost(WAIT).until(() -> replica.service.dumpsWaitingForReader() == 1);
                truncateAsTheApplier(replica, db);

                DumpRedoException redo = assertThrows(DumpRedoException.class, () -> drain(chunk));
                assertTrue(redo.getMessage().startsWith("redo: table public.small was truncated or altered on the replica"), redo.getMessage());
            }
            try (TableSnapshot again = dumper.table(APPLIED, SMALL)) {
                assertEquals(0, again.pages());
                assertEquals(List.of(), drain(again.chunk(0, LAST_PAGE)), "the fresh snapshot sees the truncated table");
            }
        }
    }

    @Test
    void table_truncatedThroughTheInterlockBetweenChunks_isDumpRedoExceptionFromTheNextChunk(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE small (id int PRIMARY KEY, pad text)", "INSERT INTO small SELECT i, repeat('p', 100) FROM generate_series(1, 5000) i");
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults());
                TableSnapshot snapshot = dumper.table(APPLIED, SMALL)) {
            assertEquals(count(db, "SELECT count(*) FROM small WHERE ctid < '(1,0)'"), drain(snapshot.chunk(0, 0)).size());
            truncateAsTheApplier(replica, db);

            assertThrows(DumpRedoException.class, () -> drain(snapshot.chunk(1, LAST_PAGE)));
        }
    }

    @Test
    void table_ofATableTheReplicaLacks_isNoSuchTableException(TestDatabase db) throws Exception {
        TableName missing = new TableName("public", "x\"; DROP TABLE y; --");
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults())) {
            NoSuchTableException e = assertThrows(NoSuchTableException.class, () -> dumper.table(APPLIED, missing));
            assertEquals(missing, e.table());
            await().atMost(WAIT).until(() -> dumper.openCalls() == 0);
        }
    }

    @Test
    void table_whenTheReplicaStaysBehindMinLsn_isDumpRedoExceptionNamingBothLsns_afterTheShortWait(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE small (id int)");
        Lsn ahead = Lsn.parse("9/0");
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults().withTableWait(Duration.ofMillis(300)))) {
            long began = System.nanoTime();
            DumpRedoException e = assertThrows(DumpRedoException.class, () -> dumper.table(ahead, SMALL));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertTrue(e.getMessage().contains(APPLIED.toString()) && e.getMessage().contains(ahead.toString()), e.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
            System.out.printf("a replica behind min_lsn with a 300 ms wait: DumpRedoException after %d ms%n", took.toMillis());
        }
    }

    /** What the applier does before a TRUNCATE: cancel the table's dumps through the registry, then take the table. */
    private static void truncateAsTheApplier(AgentServiceFixture replica, TestDatabase db) throws Exception {
        try (Connection applier = db.connect(); Statement s = applier.createStatement()) {
            applier.setAutoCommit(false);
            replica.registry.beforeExclusive(List.of(SMALL));
            s.execute("SET LOCAL lock_timeout = '5s'");
            s.execute("TRUNCATE small");
            applier.commit();
        } finally {
            replica.registry.released();
        }
    }
}
