package dev.pgcapture.consumer;

import static dev.pgcapture.consumer.Messages.int4;
import static dev.pgcapture.consumer.Messages.text;
import static dev.pgcapture.consumer.Messages.update;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Change.Operation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debouncing against a scripted gateway: updates of a key collapse to the latest, and no
 * requeue, rewind or close ever loses that latest version.
 */
class DebounceTest {

    @PgTable(name = "items")
    record Item(@PgColumn(value = "id", key = true) int id, @PgColumn("name") String name) {
    }

    private FakeGateway gateway;
    private final List<Consumer> consumers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        gateway = new FakeGateway();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Consumer consumer : consumers) {
            consumer.close();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        gateway.close();
    }

    private Consumer start(DeliveryMode mode, Duration debounce, Handler<Item> handler) {
        Consumer consumer = PgCapture.newConsumer(gateway.channel, ConsumerOptions.builder("items").mode(mode).debounce(debounce)
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build());
        consumers.add(consumer);
        threads.add(Thread.ofPlatform().start(() -> {
            try {
                consumer.consume(Handlers.of(Item.class, handler));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        return consumer;
    }

    private static CaptureMessage rename(long lsn, int id, String name) {
        return update("items", lsn, int4("id", id), text("name", name));
    }

    private Handler<Item> recording() {
        return change -> handled.add(change.operation() + " " + change.newRow().id() + " " + change.newRow().name());
    }

    @Test
    void updatesOfOneKey_collapseToTheLatest_andTheReplacedOnesAreAcked() throws Exception {
        Consumer consumer = start(DeliveryMode.SHARED, Duration.ofMillis(300), recording());
        FakeGateway.Call call = gateway.call(0);
        call.send(rename(1, 1, "a"));
        call.send(rename(2, 1, "b"));
        call.send(rename(3, 1, "c"));

        assertEquals(1, call.nextAck().getCheckpoint().getLsn(), "a is replaced by b");
        assertEquals(2, call.nextAck().getCheckpoint().getLsn(), "b is replaced by c");
        CaptureAck last = call.nextAck();
        assertEquals(3, last.getCheckpoint().getLsn());
        assertEquals("", last.getRequeueReason());
        assertEquals(List.of("UPDATE 1 c"), handled);
        assertEquals(2, consumer.stats().debounced());
    }

    @Test
    void theLatestRequeued_comesAgain_andIsHandled() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        start(DeliveryMode.SHARED, Duration.ofMillis(100), change -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("cache unavailable");
            }
            handled.add(change.newRow().name());
        });
        FakeGateway.Call call = gateway.call(0);
        CaptureMessage latest = rename(2, 1, "b");
        call.send(rename(1, 1, "a"));
        call.send(latest);
        assertEquals(1, call.nextAck().getCheckpoint().getLsn());
        CaptureAck requeue = call.nextAck();
        assertEquals(latest.getCheckpoint(), requeue.getCheckpoint());
        assertEquals("cache unavailable", requeue.getRequeueReason());

        call.send(latest);
        CaptureAck ack = call.nextAck();
        assertEquals(latest.getCheckpoint(), ack.getCheckpoint());
        assertEquals("", ack.getRequeueReason());
        assertEquals(List.of("b"), handled);
    }

    @Test
    void closeWhileTheLatestIsHeld_leavesItUnacked_soTheNextConsumerHandlesIt() throws Exception {
        Consumer first = start(DeliveryMode.SHARED, Duration.ofHours(1), recording());
        FakeGateway.Call call = gateway.call(0);
        CaptureMessage latest = rename(2, 1, "b");
        call.send(rename(1, 1, "a"));
        call.send(latest);
        assertEquals(1, call.nextAck().getCheckpoint().getLsn(), "the replaced version is acked");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.stats().debounced() == 1);

        first.close();
        assertTrue(call.halfClosed);
        assertEquals(null, call.acks.poll(200, TimeUnit.MILLISECONDS), "the held latest version was not acked");
        assertTrue(handled.isEmpty());

        // The gateway still has it: the next consumer gets it.
        start(DeliveryMode.SHARED, Duration.ofMillis(50), recording());
        FakeGateway.Call next = gateway.call(1);
        next.send(latest);
        assertEquals(latest.getCheckpoint(), next.nextAck().getCheckpoint());
        assertEquals(List.of("UPDATE 1 b"), handled);
    }

    @Test
    void insertOrDeleteOfAHeldKey_handsTheHeldUpdateOnFirst() throws Exception {
        start(DeliveryMode.SHARED, Duration.ofHours(1), change -> handled.add(change.operation() + " "
                + (change.newRow() != null ? change.newRow().id() + " " + change.newRow().name() : change.oldRow().id())));
        FakeGateway.Call call = gateway.call(0);
        call.send(rename(1, 1, "a"));
        call.send(rename(2, 2, "x"));
        call.send(Messages.change(Operation.DELETE, "items", 3, int4("id", 1)).build());

        assertEquals(1, call.nextAck().getCheckpoint().getLsn());
        assertEquals(3, call.nextAck().getCheckpoint().getLsn());
        assertEquals(List.of("UPDATE 1 a", "DELETE 1"), handled, "key 1 in order; key 2 still held");
    }

    @Test
    void exactMode_aHeldUpdateRequeued_dropsTheUpdatesHeldAfterIt_whichComeAgainInOrder() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        start(DeliveryMode.EXACT, Duration.ofMillis(200), change -> {
            if (change.newRow().id() == 1 && attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("not yet");
            }
            handled.add(change.newRow().id() + " " + change.newRow().name());
        });
        FakeGateway.Call call = gateway.call(0);
        CaptureMessage one = rename(1, 1, "a");
        CaptureMessage two = rename(2, 2, "x");
        call.send(one);
        call.send(two);
        CaptureAck requeue = call.nextAck();
        assertEquals(one.getCheckpoint(), requeue.getCheckpoint());
        assertEquals("not yet", requeue.getRequeueReason());

        // The gateway rewinds: the requeued update, flagged, then the one after it.
        call.send(one.toBuilder().setRedelivery(true).build());
        call.send(two);
        assertEquals(one.getCheckpoint(), call.nextAck().getCheckpoint());
        assertEquals(two.getCheckpoint(), call.nextAck().getCheckpoint());
        assertEquals(List.of("1 a", "2 x"), handled, "each once, in order: the held 2 was dropped at the rewind, not handled");
    }
}
