package dev.pgcapture.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ScheduleProgress;
import dev.pgcapture.proto.ScheduleRequest;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code pgcapture controller} as a real process: killed with SIGKILL mid-schedule, and driven by {@code schedule} / {@code schedules}. */
@ExtendWith(PostgresExtension.class)
class ControllerProcessIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String URI = "orders";

    @TempDir
    Path dir;


    private static JarProcess controller(String name, int port, TestDatabase store, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("controller", "--listen", "127.0.0.1:" + port, "--store-url", store.jdbcUrl()));
        args.addAll(List.of(more));
        return JarProcess.start(name, args);
    }

    private static DBLogControllerGrpc.DBLogControllerBlockingStub stub(ManagedChannel channel) {
        return DBLogControllerGrpc.newBlockingStub(channel);
    }

    private static ScheduleProgress progress(ManagedChannel channel) {
        return stub(channel).listSchedules(ListSchedulesRequest.newBuilder().setUri(URI).build()).getSchedules(0);
    }

    private static void awaitServing(ManagedChannel channel, JarProcess process) {
        await().atMost(START).ignoreExceptions().until(() -> {
            assertTrue(process.isAlive(), () -> process.name() + " exited: " + process.stderr());
            stub(channel).listSchedules(ListSchedulesRequest.getDefaultInstance());
            return true;
        });
    }

    @Test
    void controller_killedMidSchedule_resumesAfterRestart_everyChunkDelivered_noAcknowledgedOneAgain(TestDatabase store) throws Exception {
        int port = JarProcess.freePort();
        int chunks = 20;
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        Map<Integer, Integer> deliveries = new TreeMap<>();
        List<ManagedChannel> attempts = new ArrayList<>();
        try (JarProcess first = controller("controller-kill-1-" + store.name(), port, store)) {
            awaitServing(channel, first);
            ScheduleRequest.Builder request = ScheduleRequest.newBuilder().setUri(URI);
            for (int i = 0; i < chunks; i++) {
                request.addDumps(DumpInfoResponse.newBuilder().setSchema("public").setTable("t").setPageBegin(i).setPageEnd(i));
            }
            stub(channel).schedule(request.build());

            DumpPullClient gateway = DumpPullClient.open(channel, URI);
            for (int i = 0; i < 8; i++) {
                DumpInfoResponse dump = assertInstanceOf(DumpInfoResponse.class, gateway.next(WAIT));
                deliveries.merge(dump.getPageBegin(), 1, Integer::sum);
                gateway.ack(10);
            }
            DumpInfoResponse outstanding = assertInstanceOf(DumpInfoResponse.class, gateway.next(WAIT));
            deliveries.merge(outstanding.getPageBegin(), 1, Integer::sum);
            await().atMost(WAIT).until(() -> progress(channel).getChunksDone() == 8); // the 8th ack is stored
            assertEquals(JarProcess.KILLED, first.kill());
            assertEquals(Status.Code.UNAVAILABLE, assertInstanceOf(Status.class, gateway.next(WAIT)).getCode(),
                    "the gateway sees its stream fail");

            long restart = System.nanoTime();
            try (JarProcess second = controller("controller-kill-2-" + store.name(), port, store)) {
                DumpPullClient[] reconnected = new DumpPullClient[1];
                Object[] firstEvent = new Object[1];
                // The gateway reconnects until the controller answers; a fresh channel per attempt, so that the figure
                // below is the controller's restart and not a gRPC channel's reconnect backoff.
                await().atMost(START).pollInterval(Duration.ofMillis(50)).until(() -> {
                    ManagedChannel attempt = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                    reconnected[0] = DumpPullClient.open(attempt, URI);
                    firstEvent[0] = reconnected[0].next(WAIT);
                    if (!(firstEvent[0] instanceof DumpInfoResponse)) {
                        attempt.shutdownNow();
                        return false;
                    }
                    attempts.add(attempt);
                    return true;
                });
                double resumed = (System.nanoTime() - restart) / 1e9;
                DumpInfoResponse again = (DumpInfoResponse) firstEvent[0];
                assertEquals(outstanding.getPageBegin(), again.getPageBegin(), "the chunk that was out when the controller died comes first");
                deliveries.merge(again.getPageBegin(), 1, Integer::sum);
                reconnected[0].ack(10);
                for (int i = 9; i < chunks; i++) {
                    DumpInfoResponse dump = assertInstanceOf(DumpInfoResponse.class, reconnected[0].next(WAIT));
                    deliveries.merge(dump.getPageBegin(), 1, Integer::sum);
                    reconnected[0].ack(10);
                }
                await().atMost(WAIT).until(() -> progress(channel).getChunksDone() == chunks);
                assertEquals(chunks * 10L, progress(channel).getRowsSent());
                assertEquals(null, reconnected[0].next(Duration.ofMillis(300)), "nothing after the last chunk");
                reconnected[0].close();
                System.out.printf(Locale.ROOT, "MEASURED controller restart after kill -9: a reconnecting gateway had its chunk again "
                        + "%.2f s after the new process was started (JVM start included)%n", resumed);

                second.terminate();
                assertEquals(JarProcess.TERMINATED, second.awaitExit(WAIT), second.stderr());
                assertTrue(second.stderr().contains("resuming the schedule of URI orders: 8 of 20 chunks done"), second.stderr());
            }
        } finally {
            channel.shutdownNow();
            attempts.forEach(ManagedChannel::shutdownNow);
        }
        Map<Integer, Integer> expected = new TreeMap<>();
        for (int i = 0; i < chunks; i++) {
            expected.put(i, i == 8 ? 2 : 1);
        }
        assertEquals(expected, deliveries, "every chunk delivered; the acknowledged ones once; the one out at the kill twice");
    }

    @Test
    void scheduleAndSchedules_againstARunningController_showProgressUntilDone_andAMissingTableIsOneLine(TestDatabase store,
            TestDatabase replica) throws Exception {
        replica.execute("CREATE TABLE t (id int, pad text) WITH (autovacuum_enabled = false)",
                "INSERT INTO t SELECT i, repeat('p', 200) FROM generate_series(1, 3000) i");
        try (Connection c = replica.connect()) {
            ReplicaSchema.ensure(c);
            ReplicaPosition.write(c, new Checkpoint(Lsn.parse("1/2000"), 0, ByteString.copyFromUtf8("m")), Instant.now());
        }
        PostgresUrl replicaUrl = PostgresUrl.parse(replica.jdbcUrl());
        GrpcServer agent = GrpcServer.on(new InetSocketAddress("127.0.0.1", 0), new AgentService(replicaUrl, Clock.systemUTC(),
                DumpLimits.defaults(), new DumpRegistry(replicaUrl, Duration.ofSeconds(5)))).start();
        Path resolver = Files.writeString(dir.resolve("resolver.json"), """
                {"orders": {"PulsarURL": "pulsar://127.0.0.1:6650", "PulsarTopic": "shop", "PulsarSubscription": "orders",
                            "AgentURL": "127.0.0.1:%d"}}""".formatted(agent.port()));
        int port = JarProcess.freePort();
        String address = "127.0.0.1:" + port;
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try (JarProcess controller = controller("controller-cli-" + store.name(), port, store, "--resolver-config", resolver.toString())) {
            awaitServing(channel, controller);

            try (JarProcess missing = JarProcess.start("schedule-missing-" + store.name(), List.of("schedule", "--controller", address,
                    "--uri", URI, "--table", "public.t", "--table", "public.nope"))) {
                assertEquals(1, missing.awaitExit(WAIT));
                assertTrue(missing.stderr().contains("pgcapture schedule: no table public.nope on the replica of URI orders\n"),
                        missing.stderr());
            }

            try (JarProcess schedule = JarProcess.start("schedule-wait-" + store.name(), List.of("schedule", "--controller", address,
                    "--uri", URI, "--table", "t", "--pages-per-chunk", "10", "--poll-interval", "100ms"));
                 DumpPullClient gateway = DumpPullClient.open(channel, URI)) {
                DumpInfoResponse firstChunk = assertInstanceOf(DumpInfoResponse.class, gateway.next(START));
                int total = progress(channel).getChunksTotal();
                assertTrue(total > 3, "a 3,000-row table of 10-page chunks: " + total);
                await().atMost(WAIT).until(() -> schedule.stdout().contains(URI + ": 0/" + total + " chunks (0%)"));
                gateway.ack(100);
                for (int i = 1; i < total; i++) {
                    assertInstanceOf(DumpInfoResponse.class, gateway.next(WAIT));
                    gateway.ack(100);
                }
                assertEquals(0, schedule.awaitExit(WAIT), schedule.stderr());
                String out = schedule.stdout();
                assertTrue(out.startsWith("scheduled " + total + " chunk(s) of 1 table(s) for URI orders\n  public.t: " + total
                        + " chunk(s), pages 0..end\n"), out);
                assertTrue(out.contains("done: URI orders, " + total + " chunks, " + String.format(Locale.ROOT, "%,d", total * 100L) + " rows"), out);
                assertEquals(0, firstChunk.getPageBegin());
            }

            try (JarProcess schedules = JarProcess.start("schedules-" + store.name(), List.of("schedules", "--controller", address))) {
                assertEquals(0, schedules.awaitExit(WAIT), schedules.stderr());
                List<String> lines = schedules.stdout().lines().toList();
                assertTrue(lines.get(0).startsWith("URI     PROGRESS"), schedules.stdout());
                assertTrue(lines.get(1).matches("orders  \\[#{20}] 100%  (\\d+)/\\1 .*"), schedules.stdout());
            }

            try (JarProcess stop = JarProcess.start("schedule-stop-" + store.name(), List.of("schedule", "--controller", address,
                    "--uri", URI, "--stop"))) {
                assertEquals(0, stop.awaitExit(WAIT), stop.stderr());
                assertTrue(stop.stdout().startsWith("stopped the schedule of URI orders"), stop.stdout());
            }
            assertTrue(stub(channel).listSchedules(ListSchedulesRequest.getDefaultInstance()).getSchedulesList().isEmpty());
        } finally {
            channel.shutdownNow();
            agent.shutdown(Duration.ofSeconds(5));
        }
    }
}
