package dev.pgcapture.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.pulsar.PulsarSourceSettings;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import dev.pgcapture.gateway.resolve.StaticResolver;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A consumer that stops reading holds back only itself: while 200,000 changes arrive, the
 * gateway's own accounting of the bytes it holds stays within its window (the backlog stays in
 * Pulsar), and a consumer of another URI on the same topic receives every change meanwhile.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class GatewayMemoryIT {

    private static final int CHANGES = 200_000;
    private static final int ROWS_PER_TRANSACTION = 2_000;
    private static final int NOTE_BYTES = 512;
    private static final Duration WAIT = Duration.ofMinutes(5);
    /** Generous: the default window is 1,000 messages or 16 MiB, and a source prefetches 100 messages. */
    private static final long BOUND = 16L << 20;

    @Test
    void stalledConsumer_keepsTheGatewaysMemoryBounded_andAnotherUriKeepsReceiving(TestDatabase source, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY, note text NOT NULL)");
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong peak = new AtomicLong();
        try (CaptureFixture capture = CaptureFixture.start(source, pulsar)) {
            ResolverConfig config = ResolverConfig.of(Map.of(
                    "stalled", new ResolverConfig.Entry(pulsar.serviceUrl(), capture.topic(), "stalled-subscription", Optional.empty()),
                    "reader", new ResolverConfig.Entry(pulsar.serviceUrl(), capture.topic(), "reader-subscription", Optional.empty())));
            StaticResolver resolver = new StaticResolver(config, new PulsarSources(PulsarSourceSettings.defaults(), Clock.systemUTC()),
                    PulsarClients.withDefaults(), url -> {
                        throw new AssertionError("no dumps in this test");
                    });
            GatewayService gateway = new GatewayService(resolver, Optional.empty(), GatewaySettings.defaults(), Clock.systemUTC());
            String name = InProcessServerBuilder.generateName();
            GrpcServer server = new GrpcServer(InProcessServerBuilder.forName(name), gateway).start();
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            Thread sampler = Thread.ofPlatform().daemon().name("buffered-bytes").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(gateway.bufferedBytes(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long began = System.nanoTime();
            try (StubConsumer stalled = StubConsumer.start(channel, "stalled", Map.of("Mode", "exact"), 100, message -> {
                    release.await(); // the application hangs on its first change
                    return null;
                });
                    StubConsumer reader = StubConsumer.start(channel, "reader", Map.of("Mode", "exact"), 100, message -> null)) {
                for (int first = 1; first <= CHANGES; first += ROWS_PER_TRANSACTION) {
                    // Hex digits of md5s: random enough that the topic's compression cannot shrink them much.
                    source.execute("INSERT INTO items SELECT g, (SELECT string_agg(md5(g::text || '/' || i), '') FROM generate_series(1, "
                            + NOTE_BYTES / 32 + ") i) FROM generate_series(" + first + ", " + (first + ROWS_PER_TRANSACTION - 1) + ") g");
                }
                await("the other URI's consumer receiving all " + CHANGES + " changes").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            reader.check();
                            return reader.handled.get() >= CHANGES;
                        });
                long seconds = (System.nanoTime() - began) / 1_000_000_000L;
                // Bytes, not messages: the capture agent publishes in batches, and a backlog counts entries.
                long backlog = pulsar.admin().topics().getStats(capture.topic(), true, true, false)
                        .getSubscriptions().get("stalled-subscription").getBacklogSize();
                peak.accumulateAndGet(gateway.bufferedBytes(), Math::max);
                System.out.printf("stalled consumer: %,d changes (%,d MB of notes) arrived in about %d s; the gateway held at most %,d bytes;"
                        + " the stalled subscription's backlog in Pulsar: %,d bytes%n", CHANGES, (long) CHANGES * NOTE_BYTES >> 20, seconds,
                        peak.get(), backlog);

                assertEquals(CHANGES, reader.handled.get(), "the other URI's consumer received every change once");
                assertEquals(0, stalled.handled.get(), "the stalled consumer is still stuck on its first change");
                assertTrue(peak.get() > 0, "the sampler saw the gateway hold something");
                assertTrue(peak.get() < BOUND, "the gateway held at most " + peak.get() + " bytes, bound " + BOUND);
                assertTrue(backlog > (long) CHANGES * NOTE_BYTES / 2, "Pulsar, not the gateway, holds the stalled consumer's backlog: " + backlog
                        + " bytes");
                release.countDown();
            } finally {
                sampler.interrupt();
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.shutdown(Duration.ofSeconds(5));
                resolver.close();
            }
        }
    }
}
