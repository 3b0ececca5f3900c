package dev.pgcapture.controller;

import static dev.pgcapture.controller.SchedulerTest.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.agent.dump.AgentService;
import dev.pgcapture.agent.dump.DumpLimits;
import dev.pgcapture.agent.dump.DumpRegistry;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.replica.ReplicaSchema;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.ScheduleRequest;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.ScheduleTablesResponse;
import dev.pgcapture.proto.TableName;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Planning against a real replica's Agent service: table sizes from pg_relation_size, missing tables refused. */
@ExtendWith(PostgresExtension.class)
class AgentPlanningIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String URI = "orders";
    private static final long END = DumpChunk.LAST_PAGE;

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** The replica's Agent service, served in-process by a GrpcServer; returns a channel to it. */
    private ManagedChannel agent(TestDatabase replica) throws Exception {
        PostgresUrl url = seeded(replica);
        String name = InProcessServerBuilder.generateName();
        GrpcServer server = new GrpcServer(InProcessServerBuilder.forName(name),
                new AgentService(url, Clock.systemUTC(), DumpLimits.defaults(), new DumpRegistry(url, Duration.ofSeconds(5)))).start();
        closing.add(() -> server.shutdown(Duration.ofSeconds(5)));
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        closing.add(channel::shutdownNow);
        return channel;
    }

    /** Prepares the pgcapture bookkeeping of a replica the applier has brought to a position, as the agent needs. */
    private static PostgresUrl seeded(TestDatabase replica) throws Exception {
        try (Connection c = replica.connect()) {
            ReplicaSchema.ensure(c);
            ReplicaPosition.write(c, new Checkpoint(Lsn.parse("1/2000"), 0, ByteString.copyFromUtf8("m")), Instant.now());
        }
        return PostgresUrl.parse(replica.jdbcUrl());
    }

    private DBLogControllerGrpc.DBLogControllerBlockingStub controller(TestDatabase store, AgentLookup agents) throws Exception {
        ControllerService service = ControllerService.open(PostgresUrl.parse(store.jdbcUrl()), agents, Clock.systemUTC(),
                ControllerSettings.defaults());
        closing.add(service);
        return DBLogControllerGrpc.newBlockingStub(grpc.serve(service));
    }

    private static long scalar(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static ScheduleTablesRequest tables(int pagesPerChunk, String... names) {
        ScheduleTablesRequest.Builder request = ScheduleTablesRequest.newBuilder().setUri(URI).setPagesPerChunk(pagesPerChunk);
        for (String name : names) {
            request.addTables(TableName.newBuilder().setSchema("public").setTable(name));
        }
        return request.build();
    }

    @Test
    void scheduleTables_cutsARealTableByItsRelationSize_beforeAnyAnalyze_theLastChunkOpenEnded(TestDatabase replica, TestDatabase store)
            throws Exception {
        replica.execute("CREATE TABLE t (id int, pad text) WITH (autovacuum_enabled = false)",
                "INSERT INTO t SELECT i, repeat('p', 200) FROM generate_series(1, 5000) i",
                "CREATE TABLE empty (id int)");
        long pages = scalar(replica, "SELECT pg_relation_size('t') / current_setting('block_size')::int");
        assertEquals(0, scalar(replica, "SELECT relpages FROM pg_class WHERE relname = 't'"), "never analyzed: relpages is still 0");
        assertTrue(pages > 30, "the table spans many pages: " + pages);
        ManagedChannel agent = agent(replica);
        DBLogControllerGrpc.DBLogControllerBlockingStub stub = controller(store, uri -> new AgentLookup.Agent("in-process", agent));

        ScheduleTablesResponse planned = stub.scheduleTables(tables(10, "t", "empty"));

        List<String> expected = new ArrayList<>();
        long begin = 0;
        for (; pages - begin > 10; begin += 10) {
            expected.add("t " + begin + ".." + (begin + 9));
        }
        expected.add("t " + begin + ".." + END);
        expected.add("empty 0.." + END);
        assertEquals(expected, planned.getDumpsList().stream().map(SchedulerTest::show).toList());

        List<String> pulled = new ArrayList<>();
        try (DumpPuller puller = DumpPuller.open(grpcChannelOf(stub), URI, "")) {
            for (int i = 0; i < expected.size(); i++) {
                pulled.add(show(puller.next(WAIT)));
                puller.ack(1);
            }
        }
        assertEquals(expected, pulled, "handed out in the planned order");
    }

    @Test
    void scheduleTables_andSchedule_ofAMissingTable_areNotFoundNamingIt(TestDatabase replica, TestDatabase store) throws Exception {
        replica.execute("CREATE TABLE t (id int)");
        ManagedChannel agent = agent(replica);
        DBLogControllerGrpc.DBLogControllerBlockingStub stub = controller(store, uri -> new AgentLookup.Agent("in-process", agent));

        Status planning = assertThrows(StatusRuntimeException.class, () -> stub.scheduleTables(tables(0, "t", "nope"))).getStatus();
        assertEquals(Status.Code.NOT_FOUND, planning.getCode());
        assertEquals("no table public.nope on the replica of URI orders", planning.getDescription());

        ScheduleRequest explicit = ScheduleRequest.newBuilder().setUri(URI)
                .addDumps(DumpInfoResponse.newBuilder().setSchema("public").setTable("t").setPageBegin(0).setPageEnd(0))
                .addDumps(DumpInfoResponse.newBuilder().setSchema("Sales").setTable("Line items").setPageBegin(0).setPageEnd(0)).build();
        Status scheduling = assertThrows(StatusRuntimeException.class, () -> stub.schedule(explicit)).getStatus();
        assertEquals(Status.Code.NOT_FOUND, scheduling.getCode());
        assertEquals("no table \"Sales\".\"Line items\" on the replica of URI orders", scheduling.getDescription());

        stub.scheduleTables(tables(0, "t")); // nothing was scheduled by the refused calls
    }

    @Test
    void resolverConfig_agentUrl_isAskedOverTcp_andAnUnreachableAgentIsUnavailable(TestDatabase replica, TestDatabase store)
            throws Exception {
        replica.execute("CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 100)");
        PostgresUrl url = seeded(replica);
        GrpcServer agent = GrpcServer.on(new InetSocketAddress("127.0.0.1", 0),
                new AgentService(url, Clock.systemUTC(), DumpLimits.defaults(), new DumpRegistry(url, Duration.ofSeconds(5)))).start();
        closing.add(() -> agent.shutdown(Duration.ofSeconds(5)));
        ResolverConfig config = ResolverConfig.of(Map.of(
                URI, new ResolverConfig.Entry("pulsar://127.0.0.1:6650", "shop", "orders", Optional.of("127.0.0.1:" + agent.port())),
                "gone", new ResolverConfig.Entry("pulsar://127.0.0.1:6650", "shop", "gone", Optional.of("127.0.0.1:1"))));
        ControllerService service = ControllerService.open(PostgresUrl.parse(store.jdbcUrl()), Optional.of(config), Clock.systemUTC());
        closing.add(service);
        DBLogControllerGrpc.DBLogControllerBlockingStub stub = DBLogControllerGrpc.newBlockingStub(grpc.serve(service));

        assertEquals(List.of("t 0.." + END), stub.scheduleTables(tables(0, "t")).getDumpsList().stream().map(SchedulerTest::show).toList());

        Status unreachable = assertThrows(StatusRuntimeException.class, () -> stub.scheduleTables(
                tables(0, "t").toBuilder().setUri("gone").build())).getStatus();
        assertEquals(Status.Code.UNAVAILABLE, unreachable.getCode());
        assertTrue(unreachable.getDescription().startsWith("cannot reach the agent of URI gone at 127.0.0.1:1"), unreachable.getDescription());
    }

    private ManagedChannel grpcChannelOf(DBLogControllerGrpc.DBLogControllerBlockingStub stub) {
        return (ManagedChannel) stub.getChannel();
    }
}
