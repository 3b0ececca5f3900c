package dev.pgcapture.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture;
import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.proto.Checkpoint;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input on one stream of the real gateway (Pulsar subscription, captured source) is
 * answered with a status that says what is wrong, closes only that stream, and loses nothing:
 * a healthy consumer on the same URI's subscription keeps receiving, and the stream whose ack
 * was garbage gets its change again on the next stream.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class BadInputIT {

    private static final Duration WAIT = Duration.ofMinutes(1);

    @Test
    void noInit_unknownUri_garbageAck_eachAClearStatus_andTheGatewayKeepsServing(TestDatabase source, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY)");
        try (CaptureFixture capture = CaptureFixture.start(source, pulsar);
                GatewayStack stack = GatewayStack.changes(pulsar, capture.topic())) {
            TestClient noInit = TestClient.open(stack.channel, 10)
                    .send(CaptureRequest.newBuilder().setAck(CaptureAck.getDefaultInstance()).build());
            assertStatus(noInit.awaitEnd(), Status.Code.INVALID_ARGUMENT, "init");

            TestClient unknown = TestClient.open(stack.channel, 10).init("no-such-uri");
            assertStatus(unknown.awaitEnd(), Status.Code.NOT_FOUND, "no-such-uri");

            source.execute("INSERT INTO items VALUES (1)");
            TestClient garbage = TestClient.open(stack.channel, 10).init(GatewayStack.URI, "Mode", "exact");
            CaptureMessage first = garbage.next();
            Checkpoint bogus = first.getCheckpoint().toBuilder().setLsn(first.getCheckpoint().getLsn() + 12345).setSeq(77).build();
            garbage.ack(bogus);
            Status status = garbage.awaitEnd();
            assertStatus(status, Status.Code.INVALID_ARGUMENT, "checkpoint");
            System.out.println("garbage ack answered: " + status);

            // Nothing was lost: the unacknowledged insert comes to the next stream of the URI, and new changes follow.
            source.execute("INSERT INTO items VALUES (2)");
            try (StubConsumer healthy = StubConsumer.start(stack.channel, GatewayStack.URI, Map.of("Mode", "exact"), 10, message -> null)) {
                await("the healthy consumer receiving both inserts").atMost(WAIT).until(() -> {
                    healthy.check();
                    return healthy.handled.get() == 2;
                });
            }
            await("every stream ended on the gateway").atMost(WAIT).until(() -> stack.gateway.streams() == 0);
        }
    }

    private static void assertStatus(Status status, Status.Code code, String mentions) {
        assertEquals(code, status.getCode(), status.toString());
        assertTrue(status.getDescription() != null && status.getDescription().contains(mentions),
                "the description names what is wrong (" + mentions + "): " + status.getDescription());
    }
}
