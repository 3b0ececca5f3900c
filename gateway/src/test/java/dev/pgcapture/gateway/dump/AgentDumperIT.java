package dev.pgcapture.gateway.dump;

import static dev.pgcapture.gateway.dump.Rows.count;
import static dev.pgcapture.gateway.dump.Rows.drain;
import static dev.pgcapture.gateway.dump.Rows.int4;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.dump.AgentServiceFixture;
import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceDumper.Dump;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DescribeTypesResponse;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.TypeDescription;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AgentDumper}'s page-range dumps ({@code StreamDump}), type descriptions and closing,
 * against a real {@code AgentService} on a real replica, served in process.
 */
@ExtendWith(PostgresExtension.class)
class AgentDumperIT {

    private static final Lsn APPLIED = Lsn.parse("5/A0");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LAST_PAGE = -1; // 4294967295 unsigned

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    private AgentServiceFixture replica(TestDatabase db) throws Exception {
        AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC());
        replica.applied(APPLIED, Instant.now());
        return replica;
    }

    private static DumpInfoResponse chunk(String table, int pageBegin, int pageEnd) {
        return DumpInfoResponse.newBuilder().setSchema("public").setTable(table).setPageBegin(pageBegin).setPageEnd(pageEnd).build();
    }

    @Test
    void dump_streamsTheChunksRowsOnce_withTheSnapshotLsnOfItsHeader(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 1000) i");
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults())) {
            try (Dump dump = dumper.dump(Lsn.parse("5/0"), chunk("t", 0, LAST_PAGE))) {
                assertEquals(APPLIED, dump.snapshotLsn(), "the snapshot LSN the agent sent in the header");
                Set<Integer> ids = new HashSet<>();
                for (Change row : drain(dump)) {
                    assertEquals(List.of("public", "t", Change.Operation.UPDATE), List.of(row.getSchema(), row.getTable(), row.getOp()));
                    assertTrue(ids.add(int4(row, "id")), "a row came twice");
                }
                assertEquals(1000, ids.size());
                assertNull(dump.next(), "the end stays the end");
            }
            try (Dump firstPage = dumper.dump(APPLIED, chunk("t", 0, 0))) {
                assertEquals(count(db, "SELECT count(*) FROM t WHERE ctid < '(1,0)'"), drain(firstPage).size(), "exactly the rows of page 0");
            }
            await().atMost(WAIT).until(() -> dumper.openCalls() == 0);
        }
    }

    @Test
    void dump_ofATableTheReplicaLacks_isEmpty_withTheSnapshotLsnFromTheTrailers(TestDatabase db) throws Exception {
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults());
                Dump dump = dumper.dump(APPLIED, chunk("nope", 0, LAST_PAGE))) {
            assertEquals(APPLIED, dump.snapshotLsn());
            assertNull(dump.next());
        }
    }

    @Test
    void dump_whenTheReplicaIsBehindMinLsn_isFailedPreconditionNamingBothLsns(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)");
        Lsn ahead = Lsn.parse("9/0");
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults())) {
            StatusException e = assertThrows(StatusException.class, () -> dumper.dump(ahead, chunk("t", 0, LAST_PAGE)));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertEquals("StreamDump of public.t pages 0..4294967295 failed on the agent: the replica has applied the source up to "
                    + APPLIED + ", behind the requested min_lsn " + ahead, e.getStatus().getDescription());
        }
    }

    @Test
    void dump_slowReader_holdsAtMostTheRowBuffer_andTheAgentReadsNoFurtherAhead(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, pad text)", "INSERT INTO t SELECT i, repeat('p', 100) FROM generate_series(1, 5000) i");
        int buffer = 8;
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults().withBufferRows(buffer));
                Dump dump = dumper.dump(APPLIED, chunk("t", 0, LAST_PAGE))) {
            ChunkStream stream = (ChunkStream) dump;
            long maxAhead = 0;
            for (int taken = 1; taken <= 50; taken++) {
                assertNotNull(dump.next());
                await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> replica.service.dumpsWaitingForReader() == 1);
                assertTrue(stream.buffered() <= buffer, "rows buffered: " + stream.buffered());
                long ahead = replica.service.rowsRead() - taken;
                maxAhead = Math.max(maxAhead, ahead);
                assertTrue(ahead <= buffer + 1, "the agent read " + ahead + " rows ahead of the reader");
            }
            assertEquals(5000 - 50, drain(dump).size());
            System.out.printf("slow StreamDump reader: buffer %d rows, the agent at most %d rows ahead%n", buffer, maxAhead);
        }
    }

    @Test
    void describeTypes_bySourceOids_returnsTheAgentsDescriptions_andRefusalsAsStatus(TestDatabase db) throws Exception {
        int sourceMood = 900_001;
        int sourceMoodArray = 900_002;
        int unknown = 77_777_777;
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults())) {
            db.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
            try (Connection c = db.connect()) {
                ReplicaTables.putType(c, sourceMood, "public", "mood");
                ReplicaTables.putType(c, sourceMoodArray, "public", "_mood");
            }

            DescribeTypesResponse response = dumper.describeTypes(List.of(sourceMoodArray, 23, unknown));

            assertEquals(List.of(sourceMoodArray, 23, sourceMood), response.getTypesList().stream().map(TypeDescription::getOid).toList());
            TypeDescription array = response.getTypes(0);
            assertEquals(List.of(TypeDescription.Kind.ARRAY, sourceMood, "public.mood[]"),
                    List.of(array.getKind(), array.getElementOid(), array.getSqlName()));
            assertEquals(List.of("sad", "ok", "happy"), response.getTypes(2).getLabelsList());
            assertEquals(List.of(unknown), response.getUnknownOidsList());

            StatusException empty = assertThrows(StatusException.class, () -> dumper.describeTypes(List.of()));
            assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
            assertEquals("DescribeTypes failed on the agent: the request lists no type OIDs", empty.getStatus().getDescription());
            await().atMost(WAIT).until(() -> dumper.openCalls() == 0);
        }
    }

    @Test
    void close_fromAnotherThread_unblocksATableDumpWaitingForTheReplica_withCancellationException(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)");
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults().withTableWait(Duration.ofMinutes(1)))) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().name("table-reader").start(() -> {
                try {
                    outcome.complete(new AssertionError("table() returned " + dumper.table(Lsn.parse("9/0"), new TableName("public", "t"))));
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            await().atMost(WAIT).until(() -> dumper.openCalls() == 1 && reader.getState() == Thread.State.WAITING);

            long began = System.nanoTime();
            dumper.close();

            assertInstanceOf(CancellationException.class, outcome.get(5, TimeUnit.SECONDS));
            System.out.printf("close() unblocked a waiting table() in %d ms%n", (System.nanoTime() - began) / 1_000_000);
        }
    }

    @Test
    void close_fromAnotherThread_unblocksADumpWaitingForALockedTable_andTheAgentEndsItsDump(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)");
        try (AgentServiceFixture replica = replica(db);
                AgentDumper dumper = new AgentDumper(replica.channel, AgentDumper.Settings.defaults());
                Connection holder = db.connect();
                Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread.ofPlatform().name("dump-reader").start(() -> {
                try {
                    outcome.complete(new AssertionError("dump() returned " + dumper.dump(APPLIED, chunk("t", 0, LAST_PAGE))));
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            await().atMost(WAIT).until(() -> count(db, "SELECT count(*) FROM pg_locks WHERE relation = 't'::regclass AND NOT granted") == 1);
            assertEquals(1, replica.registry.activeDumps());

            dumper.close();

            assertInstanceOf(CancellationException.class, outcome.get(5, TimeUnit.SECONDS));
            await("the agent cancels its statement and ends the dump, while the table is still locked")
                    .atMost(WAIT).until(() -> replica.registry.activeDumps() == 0);
            holder.rollback();
        }
    }
}
