package dev.pgcapture.controller;

import dev.pgcapture.core.Backoff;
import static dev.pgcapture.controller.ControllerServiceTest.pages;
import static dev.pgcapture.controller.SchedulerTest.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ScheduleProgress;
import dev.pgcapture.proto.ScheduleRequest;
import dev.pgcapture.proto.SetScheduleCoolDownRequest;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.grpc.ManagedChannel;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL store across restarts: a new service on the same store database, after the old
 * one stopped without writing anything more (as a killed one does), resumes every schedule.
 */
@ExtendWith(PostgresExtension.class)
class ControllerRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String URI = "orders";

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    /** A controller on {@code store} and a channel to it. */
    private record Running(ControllerService service, ManagedChannel channel) implements AutoCloseable {
        DBLogControllerGrpc.DBLogControllerBlockingStub stub() {
            return DBLogControllerGrpc.newBlockingStub(channel);
        }

        ScheduleProgress progress() {
            return stub().listSchedules(ListSchedulesRequest.newBuilder().setUri(URI).build()).getSchedules(0);
        }

        @Override
        public void close() {
            service.close();
        }
    }

    private Running start(TestDatabase store) throws Exception {
        ControllerService service = ControllerService.open(PostgresUrl.parse(store.jdbcUrl()), AgentLookup.none(), Clock.systemUTC(),
                ControllerSettings.defaults().withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1))));
        return new Running(service, grpc.serve(service));
    }

    private static String scalar(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void restart_resumesTheSchedule_theChunkInFlightComesAgain_anAcknowledgedOneNever(TestDatabase store) throws Exception {
        try (Running first = start(store)) {
            first.stub().schedule(pages(URI, "t", 4));
            DumpPuller puller = DumpPuller.open(first.channel(), URI, "");
            assertEquals("t 0..0", show(puller.next(WAIT)));
            puller.ack(10);
            assertEquals("t 1..1", show(puller.next(WAIT)));
        }
        assertEquals("in_flight", scalar(store, "SELECT state FROM pgcapture_controller.chunks WHERE seq = 1"),
                "the controller stopped with t 1..1 out, and wrote nothing on the way down");

        try (Running second = start(store)) {
            ScheduleProgress resumed = second.progress();
            assertEquals(4, resumed.getChunksTotal());
            assertEquals(1, resumed.getChunksDone());
            assertEquals(3, resumed.getChunksPending());
            assertEquals(10, resumed.getRowsSent());
            List<String> received = new ArrayList<>();
            try (DumpPuller puller = DumpPuller.open(second.channel(), URI, "")) {
                for (int i = 0; i < 3; i++) {
                    received.add(show(puller.next(WAIT)));
                    puller.ack(1);
                }
                assertTrue(puller.quietFor(Duration.ofMillis(200)));
            }
            assertEquals(List.of("t 1..1", "t 2..2", "t 3..3"), received);
            assertEquals(4, second.progress().getChunksDone());
        }
    }

    @Test
    void restart_exactTableWithProvisionalAcks_isRedoneWhole_aCompletedTableNever(TestDatabase store) throws Exception {
        ScheduleRequest request = ScheduleRequest.newBuilder().setUri(URI)
                .addDumps(dump("a", 0)).addDumps(dump("a", 1)).addDumps(dump("b", 0)).addDumps(dump("b", 1)).build();
        try (Running first = start(store)) {
            first.stub().schedule(request);
            DumpPuller puller = DumpPuller.open(first.channel(), URI, "exact");
            for (String expected : List.of("a 0..0", "a 1..1 last", "b 0..0")) {
                assertEquals(expected, show(puller.next(WAIT)));
                puller.ack(1);
            }
            assertEquals("b 1..1 last", show(puller.next(WAIT)));
        }
        try (Running second = start(store)) {
            assertEquals(2, second.progress().getChunksDone(), "table a completed; b's provisional ack is void");
            List<String> received = new ArrayList<>();
            try (DumpPuller puller = DumpPuller.open(second.channel(), URI, "exact")) {
                for (int i = 0; i < 2; i++) {
                    received.add(show(puller.next(WAIT)));
                    puller.ack(1);
                }
                assertTrue(puller.quietFor(Duration.ofMillis(200)));
            }
            assertEquals(List.of("b 0..0", "b 1..1 last"), received);
            assertEquals(4, second.progress().getChunksDone());
        }
    }

    @Test
    void restart_keepsRetriesBackoffsAndCoolDowns(TestDatabase store) throws Exception {
        try (Running first = start(store)) {
            first.stub().setScheduleCoolDown(SetScheduleCoolDownRequest.newBuilder().setUri(URI)
                    .setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(7)).build());
            first.stub().schedule(pages(URI, "t", 2));
            DumpPuller puller = DumpPuller.open(first.channel(), URI, "");
            puller.next(WAIT);
            puller.requeue("replica busy");
            puller.next(WAIT); // t 1..1 while t 0..0 backs off
        }
        assertEquals("1 pending t", scalar(store, "SELECT format('%s %s %s', retries, state, not_before BETWEEN now() - interval '1 minute' "
                + "AND now() + interval '1 minute') FROM pgcapture_controller.chunks WHERE seq = 0"), "the retry and its backoff are stored");
        try (Running second = start(store)) {
            ScheduleProgress p = second.progress();
            assertEquals(1, p.getRetries());
            assertEquals(7, p.getCoolDown().getSeconds());
            assertEquals(2, p.getChunksPending());
        }
    }

    @Test
    void secondController_onTheSameStore_isRefused_andTheStoreIsFreeOnceTheFirstIsGone(TestDatabase store) throws Exception {
        PostgresUrl url = PostgresUrl.parse(store.jdbcUrl());
        try (Running first = start(store)) {
            StoreException e = assertThrows(StoreException.class, () -> ControllerService.open(url, AgentLookup.none(), Clock.systemUTC(),
                    ControllerSettings.defaults().withStoreLockWait(Duration.ofMillis(300))));
            assertTrue(e.getMessage().startsWith("another controller uses the store "), e.getMessage());
        }
        ControllerService.open(url, AgentLookup.none(), Clock.systemUTC(), ControllerSettings.defaults()).close();
    }

    private static DumpInfoResponse dump(String table, int page) {
        return DumpInfoResponse.newBuilder().setSchema("public").setTable(table).setPageBegin(page).setPageEnd(page).build();
    }
}
