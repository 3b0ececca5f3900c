package dev.pgcapture.agent.dump;

import static dev.pgcapture.agent.dump.AgentServiceFixture.int4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.AgentConfigRequest;
import dev.pgcapture.proto.AgentDumpRequest;
import dev.pgcapture.proto.AgentDumpResponse;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.TableInfoRequest;
import dev.pgcapture.proto.TableInfoResponse;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.AgentGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.sql.Connection;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The unary RPCs: Dump, TableInfo and Configure. */
@ExtendWith(PostgresExtension.class)
class AgentStatusIT {

    private static final Lsn APPLIED = Lsn.parse("1/2000");

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    @Test
    void dump_returnsTheChunkAndItsSnapshotLsn(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 500)");
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC())) {
            replica.applied(APPLIED, Instant.now());
            AgentDumpResponse response = replica.blocking().dump(AgentDumpRequest.newBuilder().setMinLsn(APPLIED.value())
                    .setInfo(DumpInfoResponse.newBuilder().setSchema("public").setTable("t").setPageBegin(0).setPageEnd(0)).build());
            assertEquals(APPLIED.value(), response.getSnapshotLsn());
            long firstPage = AgentDumpIT.count(db, "SELECT count(*) FROM t WHERE ctid < '(1,0)'");
            assertTrue(firstPage > 0 && firstPage < 500, "page 0 holds part of the table: " + firstPage);
            assertEquals(firstPage, response.getChangeCount());
            assertEquals(1, int4(response.getChange(0), "id"));
        }
    }

    @Test
    void tableInfo_givesPagesFromTheRelationSize_andARowEstimateOnlyOnceAnalyzed(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int, pad text) WITH (autovacuum_enabled = false)",
                "INSERT INTO t SELECT i, repeat('p', 100) FROM generate_series(1, 3000) i");
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC())) {
            replica.applied(APPLIED, Instant.now());
            TableInfoRequest request = TableInfoRequest.newBuilder().setSchema("public").setTable("t").build();
            TableInfoResponse before = replica.blocking().tableInfo(request);
            assertTrue(before.getExists());
            assertEquals(AgentDumpIT.count(db, "SELECT pg_relation_size('t') / current_setting('block_size')::int"), before.getPages());
            assertTrue(before.getPages() > 1);
            assertFalse(before.hasRowEstimate(), "never analyzed: no estimate");
            assertEquals(APPLIED.value(), before.getAppliedLsn());
            db.execute("ANALYZE t");
            assertEquals(3000, replica.blocking().tableInfo(request).getRowEstimate());
        }
    }

    @Test
    void agentServer_shutdown_endsTheDumpsStillRunningAtTheDeadline(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 5000)");
        try (Connection c = db.connect()) {
            dev.pgcapture.agent.replica.ReplicaSchema.ensure(c);
        }
        PostgresUrl url = PostgresUrl.parse(db.jdbcUrl());
        AgentService service = new AgentService(url, Clock.systemUTC(), AgentServiceFixture.LIMITS, new DumpRegistry(url, Duration.ofSeconds(5)));
        String name = InProcessServerBuilder.generateName();
        GrpcServer server = new GrpcServer(InProcessServerBuilder.forName(name), service).start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try (TableDumpClient client = new TableDumpClient(AgentGrpc.newStub(channel), false)) {
            try (Connection c = db.connect()) {
                dev.pgcapture.agent.replica.ReplicaPosition.write(c, dev.pgcapture.core.Checkpoint.of(APPLIED, 0), Instant.now());
            }
            client.start(APPLIED, new TableName("public", "t"), null);
            client.request(1);
            client.snapshot(); // the dump holds its transaction open, waiting for the next request

            assertFalse(server.shutdown(Duration.ofMillis(300)), "the open table dump outlives the graceful period");
            Status status = client.error();
            assertTrue(status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.CANCELLED, status.toString());
            assertEquals(0, AgentDumpIT.count(db, "SELECT count(*) FROM pg_locks WHERE relation = 't'::regclass"),
                    "the dump's transaction has ended");
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void configure_reportsTheAppliedPositionLagAndTablesNeedingSeed(TestDatabase db) throws Exception {
        Instant commitTime = Instant.parse("2030-01-01T00:00:00Z");
        Clock clock = Clock.fixed(commitTime.plusSeconds(5), ZoneOffset.UTC);
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, clock)) {
            replica.applied(APPLIED, commitTime);
            try (Connection c = db.connect()) {
                ReplicaTables.load(c).put(c, new ReplicaTables.Table(
                        new TableStructure(4242, "public", "rewritten", "r", "default", new TreeMap<>()), Lsn.ZERO, true));
            }
            Struct report = replica.blocking().configure(AgentConfigRequest.getDefaultInstance()).getReport();
            assertTrue(report.getFieldsOrThrow("seeded").getBoolValue());
            assertEquals("1/2000", report.getFieldsOrThrow("applied_lsn").getStringValue());
            assertEquals(commitTime.toString(), report.getFieldsOrThrow("commit_time").getStringValue());
            assertEquals(5.0, report.getFieldsOrThrow("lag_seconds").getNumberValue(), 1e-6);
            assertTrue(report.containsFields("seconds_since_apply"));
            assertEquals(Value.newBuilder().setStringValue("public.rewritten").build(),
                    report.getFieldsOrThrow("tables_needing_seed").getListValue().getValues(0));
            assertEquals(0.0, report.getFieldsOrThrow("active_dumps").getNumberValue());
        }
    }
}
