package dev.pgcapture.gateway;

import static dev.pgcapture.gateway.Messages.change;
import static dev.pgcapture.gateway.Messages.checkpoint;
import static dev.pgcapture.gateway.Messages.describe;
import static dev.pgcapture.gateway.Messages.txn;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.testkit.GrpcExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Exact mode retries a requeued change in place: go-back-N, with backoff measured by the injected clock. */
class ExactRetryTest {

    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();
    private GatewayFixture fixture;
    private FakeSource source;

    @BeforeEach
    void start() throws Exception {
        fixture = new GatewayFixture(grpc, GatewayFixture.settings().withRetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(30)));
        source = fixture.resolver.source("orders");
        source.offer(txn(100, "orders", 1, 2, 3, 4, 5));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void exact_requeue_isSentAgainAfterItsBackoff_flaggedRedelivery_followedByEverythingAfterItInOrder() throws Exception {
        TestClient client = fixture.client().init("orders", "Mode", "exact");
        List<CaptureMessage> first = client.next(5);
        assertEquals(List.of("c100/1", "c100/2", "c100/3", "c100/4", "c100/5"), describe(first));

        client.ack(first.get(0)).requeue(first.get(1), "handler failed");
        await().atMost(WAIT).until(() -> fixture.gateway.stalledStreams() == 1 && fixture.gateway.retriedInPlace() == 1);
        await().during(QUIET).atMost(WAIT).until(() -> client.received.isEmpty());

        fixture.clock.advance(Duration.ofMillis(100));
        List<CaptureMessage> again = client.next(4);
        assertEquals(List.of("c100/2", "c100/3", "c100/4", "c100/5"), describe(again));
        assertEquals(List.of(true, false, false, false), again.stream().map(CaptureMessage::getRedelivery).toList());
        assertEquals(first.get(1).getCheckpoint(), again.get(0).getCheckpoint(), "the same checkpoint, data included");

        for (CaptureMessage message : again) {
            client.ack(message);
        }
        await().atMost(WAIT).until(() -> source.commits.size() == 7);
        assertEquals(0, fixture.gateway.stalledStreams());
        assertTrue(source.requeues.isEmpty(), "nothing went to the dead-letter topic");
        assertEquals(List.of(pos(100, 0), pos(100, 1), pos(100, 2), pos(100, 3), pos(100, 4), pos(100, 5), pos(100, 6)),
                source.committedPositions(), "committed once each, in stream order");
    }

    @Test
    void exact_backoffDoublesWithEachAttemptOfTheSameChange() throws Exception {
        TestClient client = fixture.client().init("orders", "Mode", "exact");
        List<CaptureMessage> first = client.next(5);

        client.requeue(first.get(0), "attempt 1");
        await().atMost(WAIT).until(() -> fixture.gateway.stalledStreams() == 1);
        fixture.clock.advance(Duration.ofMillis(100));
        CaptureMessage second = client.next();
        assertTrue(second.getRedelivery());
        client.next(4);

        client.requeue(second, "attempt 2");
        await().atMost(WAIT).until(() -> fixture.gateway.retriedInPlace() == 2);
        fixture.clock.advance(Duration.ofMillis(100));
        await().during(QUIET).atMost(WAIT).until(() -> client.received.isEmpty());
        fixture.clock.advance(Duration.ofMillis(100));
        assertEquals("c100/1", describe(client.next()), "sent again 200 ms after the second requeue");
    }

    @Test
    void exact_acksForChangesAfterTheRequeuedOne_areHonoured_andThoseAreNotSentAgain() throws Exception {
        TestClient client = fixture.client().init("orders", "Mode", "exact");
        List<CaptureMessage> first = client.next(5);

        client.requeue(first.get(0), "later").ack(first.get(2)).ack(first.get(4));
        await().atMost(WAIT).until(() -> fixture.gateway.stalledStreams() == 1);
        fixture.clock.advance(Duration.ofMillis(100));

        List<CaptureMessage> again = client.next(3);
        assertEquals(List.of("c100/1", "c100/2", "c100/4"), describe(again));
        await().during(QUIET).atMost(WAIT).until(() -> client.received.isEmpty());
        assertEquals(List.of(pos(100, 0)), source.committedPositions(), "nothing after the requeued change is released before it");

        for (CaptureMessage message : again) {
            client.ack(message);
        }
        await().atMost(WAIT).until(() -> source.commits.size() == 7);
    }

    @Test
    void exact_maxAttempts_sendsTheChangeToTheDeadLetterTopic_andTheStreamMovesOn() throws Exception {
        TestClient client = fixture.client().init("orders", "Mode", "exact", "MaxAttempts", 2);
        List<CaptureMessage> first = client.next(5);

        client.requeue(first.get(0), "bad row");
        await().atMost(WAIT).until(() -> fixture.gateway.stalledStreams() == 1);
        fixture.clock.advance(Duration.ofMillis(100));
        CaptureMessage retried = client.next();
        client.next(4);
        client.requeue(retried, "still bad");

        List<CaptureMessage> after = client.next(4);
        assertEquals(List.of("c100/2", "c100/3", "c100/4", "c100/5"), describe(after),
                "delivery rewinds to what follows the dead-lettered change, without waiting");
        assertEquals(List.of(true, false, false, false), after.stream().map(CaptureMessage::getRedelivery).toList());
        assertEquals(List.of(new FakeSource.Requeue(checkpoint(100, 1), "still bad")), source.requeues);
        assertEquals(1, fixture.gateway.givenUp());

        source.offer(txn(200, "orders", 6));
        for (CaptureMessage message : after) {
            client.ack(message);
        }
        assertEquals("c200/1", describe(client.next()), "the stream goes on");
        await().atMost(WAIT).until(() -> fixture.gateway.stalledStreams() == 0);
        await().atMost(WAIT).until(() -> source.commits.size() == 7);
        assertFalse(source.committedPositions().contains(pos(100, 1)), "the dead-lettered change is handed over, not committed");
    }

    @Test
    void exact_changeRequeuedForEver_stallsOnlyItsOwnStream_visibly() throws Exception {
        FakeSource other = fixture.resolver.source("other");
        TestClient client = fixture.client().init("orders", "Mode", "exact");
        TestClient healthy = fixture.client().init("other", "Mode", "exact");
        CaptureMessage change = client.next();
        client.next(4);

        for (int attempt = 1; attempt <= 5; attempt++) {
            client.requeue(change, "attempt " + attempt);
            await().atMost(WAIT).until(() -> fixture.gateway.stalledStreams() == 1);
            fixture.clock.advance(Duration.ofSeconds(30));
            change = client.next();
            client.next(4);
        }
        other.offer(change(300, 1, "orders", 9));

        assertEquals("c300/1", describe(healthy.next()));
        assertEquals(1, fixture.gateway.stalledStreams(), "the stalled stream is counted until the change is acknowledged");
        client.ack(change);
        await().atMost(WAIT).until(() -> fixture.gateway.stalledStreams() == 0);
    }

    private static Checkpoint pos(long lsn, int seq) {
        return Checkpoint.of(new Lsn(lsn), seq);
    }
}
