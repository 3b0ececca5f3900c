package dev.pgcapture.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client made only from the generated gRPC stubs, against the real pipeline: changes made on
 * PostgreSQL go through pg2pulsar and the Pulsar topic to the gateway, which delivers them over
 * {@code Capture}; the client acknowledges them, and requeues one, which comes again.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class StubClientIT {

    private static final Duration WAIT = Duration.ofMinutes(1);

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"shared", "exact"})
    void stubClient_receivesInsertsUpdatesAndDeletes_acksThem_andARequeuedChangeComesAgain(String mode, TestDatabase source,
            TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY, version bigint NOT NULL, note text)");
        List<String> handled = new CopyOnWriteArrayList<>();
        List<String> acked = new CopyOnWriteArrayList<>();
        AtomicBoolean requeuedOnce = new AtomicBoolean();
        long began = System.nanoTime();
        try (CaptureFixture capture = CaptureFixture.start(source, pulsar);
                GatewayStack stack = GatewayStack.changes(pulsar, capture.topic());
                StubConsumer consumer = StubConsumer.start(stack.channel, GatewayStack.URI,
                        Map.of("Mode", mode, "TableRegex", "^items$"), 100, message -> {
                            String event = describe(message);
                            handled.add(event);
                            if (event.startsWith("UPDATE") && requeuedOnce.compareAndSet(false, true)) {
                                return "the handler is not ready for updates yet";
                            }
                            acked.add(event);
                            return null;
                        })) {
            source.execute("INSERT INTO items VALUES (1, 0, 'one'), (2, 0, 'two')",
                    "UPDATE items SET version = 1, note = 'uno' WHERE id = 1",
                    "DELETE FROM items WHERE id = 2");

            await("four changes acknowledged").atMost(WAIT).until(() -> {
                consumer.check();
                return acked.size() == 4;
            });
            List<String> expected = List.of("INSERT 1 v0 one", "INSERT 2 v0 two", "UPDATE 1 v1 uno", "DELETE 2");
            if (mode.equals("exact")) {
                assertEquals(expected, acked, "in commit order, the requeued change retried in place");
            } else {
                assertEquals(new ArrayList<>(expected).stream().sorted().toList(), acked.stream().sorted().toList());
            }
            assertEquals(2, handled.stream().filter(e -> e.startsWith("UPDATE")).count(), "the requeued update came again");
            assertEquals(1, consumer.requeued.get());

            String subscription = GatewayStack.URI + "-subscription";
            await("every acknowledgement reaching Pulsar").atMost(WAIT).until(() ->
                    pulsar.admin().topics().getStats(capture.topic()).getSubscriptions().get(subscription).getMsgBacklog() == 0);
            await("no stream counted as stalled once the requeued change is acknowledged").atMost(WAIT)
                    .until(() -> stack.gateway.stalledStreams() == 0);
            System.out.printf("stub client, %s mode: 4 changes and 1 requeue delivered and acknowledged end to end in %d ms%n", mode,
                    (System.nanoTime() - began) / 1_000_000);
        }
        assertTrue(handled.size() >= 5);
    }

    private static String describe(CaptureMessage message) {
        Change change = message.getChange();
        if (change.getOp() == Change.Operation.DELETE) {
            return "DELETE " + Materializer.int4(Materializer.field(change.getOldList(), "id"));
        }
        return change.getOp() + " " + Materializer.int4(Materializer.field(change.getNewList(), "id"))
                + " v" + Materializer.int8(Materializer.field(change.getNewList(), "version"))
                + " " + Materializer.field(change.getNewList(), "note").getBinary().toStringUtf8();
    }
}
