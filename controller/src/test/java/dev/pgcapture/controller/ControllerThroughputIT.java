package dev.pgcapture.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ScheduleProgress;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How fast the controller hands out chunks with the PostgreSQL store, and how long a restart on
 * a large schedule takes to resume; the figures go to the log. What is asserted is that every
 * chunk is delivered exactly once.
 */
@ExtendWith(PostgresExtension.class)
class ControllerThroughputIT {

    private static final Logger log = LoggerFactory.getLogger(ControllerThroughputIT.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String URI = "orders";

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    @Test
    void handOut_everyChunkExactlyOnce_withOneAndWithFourPullers(TestDatabase store) throws Exception {
        PostgresUrl url = PostgresUrl.parse(store.jdbcUrl());
        for (int pullers : new int[] {1, 4}) {
            try (ControllerService service = ControllerService.open(url, AgentLookup.none(), Clock.systemUTC(), ControllerSettings.defaults())) {
                ManagedChannel channel = grpc.serve(service);
                DBLogControllerGrpc.DBLogControllerBlockingStub stub = DBLogControllerGrpc.newBlockingStub(channel);
                int chunks = 3000;
                stub.stopSchedule(dev.pgcapture.proto.StopScheduleRequest.newBuilder().setUri(URI).build());
                stub.schedule(ControllerServiceTest.pages(URI, "t", chunks));

                Set<Integer> delivered = ConcurrentHashMap.newKeySet();
                AtomicInteger duplicates = new AtomicInteger();
                AtomicInteger left = new AtomicInteger(chunks);
                ExecutorService threads = Executors.newFixedThreadPool(pullers);
                long start = System.nanoTime();
                List<Future<?>> running = new ArrayList<>();
                for (int p = 0; p < pullers; p++) {
                    running.add(threads.submit(() -> {
                        try (DumpPuller puller = DumpPuller.open(channel, URI, "")) {
                            while (left.getAndDecrement() > 0) {
                                DumpInfoResponse dump = puller.next(WAIT);
                                if (!delivered.add(dump.getPageBegin())) {
                                    duplicates.incrementAndGet();
                                }
                                puller.ack(100);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                threads.shutdown();
                ScheduleProgress p = stub.listSchedules(ListSchedulesRequest.newBuilder().setUri(URI).build()).getSchedules(0);
                assertEquals(chunks, p.getChunksDone());
                assertEquals(chunks, delivered.size());
                assertEquals(0, duplicates.get());
                log.info(String.format(Locale.ROOT, "MEASURED hand-out with the PostgreSQL store, %d puller(s): %d chunks in %.2f s = %.0f chunks/s",
                        pullers, chunks, seconds, chunks / seconds));
            }
        }
    }

    @Test
    void restart_onALargeSchedule_resumesQuickly(TestDatabase store) throws Exception {
        PostgresUrl url = PostgresUrl.parse(store.jdbcUrl());
        int chunks = 100_000;
        DumpPuller holding;
        try (ControllerService service = ControllerService.open(url, AgentLookup.none(), Clock.systemUTC(), ControllerSettings.defaults())) {
            long start = System.nanoTime();
            DBLogControllerGrpc.newBlockingStub(grpc.serve(service)).schedule(ControllerServiceTest.pages(URI, "t", chunks));
            log.info(String.format(Locale.ROOT, "MEASURED Schedule of %,d chunks stored in %.2f s", chunks, (System.nanoTime() - start) / 1e9));
            holding = DumpPuller.open(grpc.serve(service), URI, "");
            holding.next(WAIT); // still out when the controller stops
        }
        holding.close();
        long start = System.nanoTime();
        try (ControllerService service = ControllerService.open(url, AgentLookup.none(), Clock.systemUTC(), ControllerSettings.defaults())) {
            double opened = (System.nanoTime() - start) / 1e9;
            try (DumpPuller puller = DumpPuller.open(grpc.serve(service), URI, "")) {
                assertEquals(0, puller.next(WAIT).getPageBegin(), "the chunk that was out comes first");
                log.info(String.format(Locale.ROOT, "MEASURED restart on a schedule of %,d chunks: store recovered in %.2f s, first chunk handed "
                        + "out again %.2f s after the start", chunks, opened, (System.nanoTime() - start) / 1e9));
            }
        }
    }
}
