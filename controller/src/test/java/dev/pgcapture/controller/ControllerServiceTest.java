package dev.pgcapture.controller;

import dev.pgcapture.core.Backoff;
import static dev.pgcapture.controller.SchedulerTest.show;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ScheduleProgress;
import dev.pgcapture.proto.ScheduleRequest;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.SetScheduleCoolDownRequest;
import dev.pgcapture.proto.StopScheduleRequest;
import dev.pgcapture.proto.TableName;
import dev.pgcapture.testkit.GrpcExtension;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gRPC service over an in-memory store: requests, statuses and streams as a gateway and an operator see them. */
class ControllerServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String URI = "orders";

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    private final InMemoryStore store = new InMemoryStore();
    private ControllerService service;
    private ManagedChannel channel;
    private DBLogControllerGrpc.DBLogControllerBlockingStub stub;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private void start(AgentLookup agents, ControllerSettings settings) throws Exception {
        service = new ControllerService(store, agents, Clock.systemUTC(), Executors.newSingleThreadScheduledExecutor(), settings, registry);
        channel = grpc.serve(service);
        stub = DBLogControllerGrpc.newBlockingStub(channel);
    }

    private void start() throws Exception {
        start(AgentLookup.none(), ControllerSettings.defaults());
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    static ScheduleRequest pages(String uri, String table, int n) {
        ScheduleRequest.Builder request = ScheduleRequest.newBuilder().setUri(uri);
        for (int i = 0; i < n; i++) {
            request.addDumps(DumpInfoResponse.newBuilder().setSchema("public").setTable(table).setPageBegin(i).setPageEnd(i));
        }
        return request.build();
    }

    private ScheduleProgress progress() {
        return stub.listSchedules(ListSchedulesRequest.newBuilder().setUri(URI).build()).getSchedules(0);
    }

    private static Status statusOf(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus();
    }

    @Test
    void pull_chunksAreHandedOutAcknowledged_andCountedInProgress() throws Exception {
        start();
        stub.schedule(pages(URI, "t", 2));
        try (DumpPuller puller = DumpPuller.open(channel, URI, "")) {
            assertEquals("t 0..0", show(puller.next(WAIT)));
            assertEquals(1, progress().getChunksInFlight());
            puller.ack(40);
            assertEquals("t 1..1", show(puller.next(WAIT)));
            puller.ack(2);
            await().atMost(WAIT).until(() -> progress().getChunksDone() == 2);
            ScheduleProgress done = progress();
            assertEquals(2, done.getChunksTotal());
            assertEquals(42, done.getRowsSent());
            assertEquals(0, done.getChunksPending());
            assertTrue(puller.quietFor(Duration.ofMillis(100)), "nothing more to hand out");
        }
    }

    private double gauge(String name) {
        return registry.get(name).tag("uri", URI).gauge().value();
    }

    @Test
    void meters_followTheSchedule_chunksDoneAndInFlightAndRows_andReadZeroOnceItIsStopped() throws Exception {
        start();
        stub.schedule(pages(URI, "t", 3));
        assertEquals(3, gauge("pgcapture.controller.dump.chunks"));
        assertEquals(0, gauge("pgcapture.controller.dump.chunks.done"));
        try (DumpPuller puller = DumpPuller.open(channel, URI, "")) {
            puller.next(WAIT);
            assertEquals(1, gauge("pgcapture.controller.dump.chunks.in.flight"));
            assertEquals(1, registry.get("pgcapture.controller.clients").gauge().value());
            puller.ack(40);
            await().atMost(WAIT).until(() -> gauge("pgcapture.controller.dump.chunks.done") == 1);
            assertEquals(40, gauge("pgcapture.controller.dump.rows"));
        }
        stub.stopSchedule(StopScheduleRequest.newBuilder().setUri(URI).build());
        assertEquals(0, gauge("pgcapture.controller.dump.chunks"), "no schedule, no chunks");
    }

    @Test
    void readiness_isLostWhileTheStoreFails_andComesBackWhenItIsReloaded() throws Exception {
        start();
        assertEquals(Optional.empty(), service.whyNotReady());
        store.failWrites(true);
        statusOf(() -> stub.schedule(pages(URI, "t", 1)));
        assertEquals(Optional.of("the schedule store is unavailable: in-memory store told to fail (create)"),
                service.whyNotReady());
        store.failWrites(false);
        await().atMost(WAIT).until(() -> service.whyNotReady().isEmpty());
        service.close();
        assertEquals(Optional.of("the controller is shut down"), service.whyNotReady());
    }

    @Test
    void schedule_secondForSameUri_isAlreadyExists_untilTheFirstIsStopped() throws Exception {
        start();
        stub.schedule(pages(URI, "t", 2));
        Status status = statusOf(() -> stub.schedule(pages(URI, "u", 1)));
        assertEquals(Status.Code.ALREADY_EXISTS, status.getCode());
        assertEquals("URI orders already has a schedule, 0 of 2 chunks done: wait for it to finish or stop it first", status.getDescription());
        stub.stopSchedule(StopScheduleRequest.newBuilder().setUri(URI).build());
        stub.schedule(pages(URI, "u", 1));
        assertEquals(1, progress().getChunksTotal());
    }

    @Test
    void schedule_badRequests_areInvalidArgumentNamingTheProblem() throws Exception {
        start();
        assertEquals("uri is empty: name the consumer URI", statusOf(() -> stub.schedule(pages("", "t", 1))).getDescription());
        assertEquals("dumps is empty: a schedule needs at least one chunk", statusOf(() -> stub.schedule(pages(URI, "t", 0))).getDescription());
        ScheduleRequest backwards = ScheduleRequest.newBuilder().setUri(URI).addDumps(DumpInfoResponse.newBuilder()
                .setSchema("public").setTable("t").setPageBegin(5).setPageEnd(3)).build();
        Status status = statusOf(() -> stub.schedule(backwards));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertEquals("dumps[0] (public.t): page_begin 5 is after page_end 3", status.getDescription());
        ScheduleRequest noSchema = ScheduleRequest.newBuilder().setUri(URI).addDumps(DumpInfoResponse.newBuilder().setTable("t")).build();
        assertEquals("dumps[0]: schema is empty", statusOf(() -> stub.schedule(noSchema)).getDescription());
        SetScheduleCoolDownRequest negative = SetScheduleCoolDownRequest.newBuilder().setUri(URI)
                .setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(-1)).build();
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> stub.setScheduleCoolDown(negative)).getCode());
        TableName t = TableName.newBuilder().setSchema("public").setTable("t").build();
        assertEquals("tables[1]: public.t is listed twice", statusOf(() -> stub.scheduleTables(ScheduleTablesRequest.newBuilder()
                .setUri(URI).addTables(t).addTables(t).build())).getDescription());
        assertEquals("tables is empty: name at least one table to dump",
                statusOf(() -> stub.scheduleTables(ScheduleTablesRequest.newBuilder().setUri(URI).build())).getDescription());
    }

    @Test
    void scheduleTables_withoutResolverConfig_isFailedPreconditionSayingWhy() throws Exception {
        start();
        Status status = statusOf(() -> stub.scheduleTables(ScheduleTablesRequest.newBuilder().setUri(URI)
                .addTables(TableName.newBuilder().setSchema("public").setTable("t")).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, status.getCode());
        assertEquals("cannot plan chunks: the controller has no resolver config (--resolver-config) to find the agent of URI orders",
                status.getDescription());
    }

    @Test
    void scheduleTables_forAUriWithoutAgentUrl_isFailedPreconditionNamingIt() throws Exception {
        start(uri -> new AgentLookup.NoAgent("URI " + uri + " has no AgentURL in the resolver config"), ControllerSettings.defaults());
        Status status = statusOf(() -> stub.scheduleTables(ScheduleTablesRequest.newBuilder().setUri(URI)
                .addTables(TableName.newBuilder().setSchema("public").setTable("t")).build()));
        assertEquals("cannot plan chunks: URI orders has no AgentURL in the resolver config", status.getDescription());
        stub.schedule(pages(URI, "t", 1)); // Schedule is accepted unchecked
    }

    @Test
    void pull_firstRequestWithoutUri_orWithAnUnknownMode_endsTheStreamInvalidArgument() throws Exception {
        start();
        try (DumpPuller noUri = DumpPuller.open(channel, "", "")) {
            Status status = noUri.error(WAIT);
            assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
            assertEquals("the first DumpInfoRequest must name the uri to pull dumps for", status.getDescription());
        }
        try (DumpPuller badMode = DumpPuller.open(channel, URI, "fastest")) {
            assertEquals("mode: unknown Mode \"fastest\": expected \"exact\" or \"shared\"", badMode.error(WAIT).getDescription());
        }
    }

    @Test
    void pull_clientCancels_itsChunkIsRequeuedForTheNextClient() throws Exception {
        start(AgentLookup.none(), ControllerSettings.defaults().withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1))));
        stub.schedule(pages(URI, "t", 1));
        DumpPuller gone = DumpPuller.open(channel, URI, "exact");
        assertEquals("t 0..0 last", show(gone.next(WAIT)));
        gone.close();
        await().atMost(WAIT).until(() -> progress().getRetries() == 1);
        try (DumpPuller next = DumpPuller.open(channel, URI, "exact")) {
            assertEquals("t 0..0 last", show(next.next(WAIT)), "handed out again once its backoff ends, by the timer");
        }
    }

    @Test
    void coolDown_theTimerHandsOutTheNextChunkWhenItEnds() throws Exception {
        start();
        stub.setScheduleCoolDown(SetScheduleCoolDownRequest.newBuilder().setUri(URI)
                .setDuration(com.google.protobuf.Duration.newBuilder().setNanos(300_000_000)).build());
        stub.schedule(pages(URI, "t", 2));
        try (DumpPuller puller = DumpPuller.open(channel, URI, "")) {
            puller.next(WAIT);
            long acked = System.nanoTime();
            puller.ack(1);
            assertEquals("t 1..1", show(puller.next(WAIT)));
            assertTrue(System.nanoTime() - acked >= 300_000_000L, "not before the cool-down ended");
            assertEquals(300, Duration.ofSeconds(progress().getCoolDown().getSeconds(), progress().getCoolDown().getNanos()).toMillis());
        }
    }

    @Test
    void storeFailure_endsEveryStreamUnavailable_andTheControllerReloadsOnceTheStoreAnswers() throws Exception {
        start();
        stub.schedule(pages(URI, "t", 2));
        DumpPuller puller = DumpPuller.open(channel, URI, "");
        assertEquals("t 0..0", show(puller.next(WAIT)));
        store.failWrites(true);
        puller.ack(1);
        Status status = puller.error(WAIT);
        assertEquals(Status.Code.UNAVAILABLE, status.getCode());
        assertTrue(status.getDescription().startsWith("the controller lost its store and reloads it"), status.getDescription());
        assertEquals(Status.Code.UNAVAILABLE, statusOf(this::progress).getCode());

        store.failWrites(false);
        await().atMost(WAIT).ignoreExceptions().until(() -> progress().getChunksPending() == 2);
        try (DumpPuller again = DumpPuller.open(channel, URI, "")) {
            assertEquals("t 0..0", show(again.next(WAIT)), "the unrecorded ack did not count: the chunk comes again");
        }
    }
}
