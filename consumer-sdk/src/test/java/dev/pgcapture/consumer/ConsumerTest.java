package dev.pgcapture.consumer;

import static dev.pgcapture.consumer.Messages.insert;
import static dev.pgcapture.consumer.Messages.int4;
import static dev.pgcapture.consumer.Messages.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Change.Operation;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.TableName.Builder;
import dev.pgcapture.proto.Truncate;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsumerTest {

    private FakeGateway gateway;
    private Consumer consumer;
    private Thread consuming;
    private final AtomicReference<Throwable> consumeFailure = new AtomicReference<>();

    @BeforeEach
    void setUp() throws Exception {
        gateway = new FakeGateway();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (consumer != null) {
            consumer.close();
        }
        if (consuming != null) {
            consuming.join(10_000);
        }
        gateway.close();
    }

    private void start(ConsumerOptions options, Handlers handlers) {
        consumer = PgCapture.newConsumer(gateway.channel, options);
        consuming = Thread.ofPlatform().name("consume").start(() -> {
            try {
                consumer.consume(handlers);
            } catch (Throwable t) {
                consumeFailure.set(t);
            }
        });
    }

    private static ConsumerOptions.Builder options() {
        return ConsumerOptions.builder("items").mode(DeliveryMode.SHARED).reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    @Test
    void handlerReturns_changeIsAcked_withItsValuesDecoded() throws Exception {
        List<Change<Row>> seen = new CopyOnWriteArrayList<>();
        start(options().build(), Handlers.builder().otherTables(seen::add).build());
        FakeGateway.Call call = gateway.call(0);
        CaptureMessage message = insert("items", 100, int4("id", 7), text("name", "caf\u00e9"), Messages.nullOf("note", Messages.TEXT));
        call.send(message);

        CaptureAck ack = call.nextAck();
        assertEquals(message.getCheckpoint(), ack.getCheckpoint());
        assertEquals("", ack.getRequeueReason());
        Change<Row> change = seen.get(0);
        assertEquals(dev.pgcapture.consumer.Operation.INSERT, change.operation());
        assertEquals(new TableName("public", "items"), change.table());
        assertEquals(7, change.newRow().get("id").get());
        assertEquals("caf\u00e9", change.newRow().get("name").get());
        assertTrue(change.newRow().get("note").isNull());
        assertTrue(change.newRow().get("missing").isAbsent());
        assertNull(change.oldRow());
        assertEquals(new Lsn(100), change.checkpoint().lsn());
        assertEquals(Instant.ofEpochSecond(1_700_000_100L), change.commitTime());
        assertEquals(1, consumer.stats().handled());
    }

    @Test
    void handlerThrows_changeIsRequeuedWithTheMessage_andHandledWhenDeliveredAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        start(options().build(), Handlers.builder().otherTables(change -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("search index is read-only");
            }
        }).build());
        FakeGateway.Call call = gateway.call(0);
        CaptureMessage message = insert("items", 100, int4("id", 1));
        call.send(message);
        CaptureAck requeue = call.nextAck();
        assertEquals("search index is read-only", requeue.getRequeueReason());
        assertEquals(message.getCheckpoint(), requeue.getCheckpoint());

        call.send(message);
        CaptureAck ack = call.nextAck();
        assertEquals("", ack.getRequeueReason());
        assertEquals(2, attempts.get());
        assertEquals(1, consumer.stats().requeued());
    }

    @Test
    void tableWithoutHandler_isAckedAtOnce() throws Exception {
        start(options().build(), Handlers.builder().build());
        FakeGateway.Call call = gateway.call(0);
        call.send(insert("orders", 5, int4("id", 1)));
        assertEquals("", call.nextAck().getRequeueReason());
        assertEquals(1, consumer.stats().withoutHandler());
    }

    @Test
    void exactMode_afterRequeue_ignoresMessagesUntilTheRedelivery_soOrderHolds() throws Exception {
        List<Long> handled = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        start(options().mode(DeliveryMode.EXACT).build(), Handlers.builder().otherTables(change -> {
            if (change.checkpoint().lsn().value() == 1 && attempts.incrementAndGet() == 1) {
                throw new RuntimeException("not yet");
            }
            handled.add(change.checkpoint().lsn().value());
        }).build());
        FakeGateway.Call call = gateway.call(0);
        assertEquals("exact", call.init.getParameters().getFieldsOrThrow("Mode").getStringValue());
        CaptureMessage first = insert("items", 1, int4("id", 1));
        CaptureMessage second = insert("items", 2, int4("id", 2));
        call.send(first);
        call.send(second);
        assertEquals("not yet", call.nextAck().getRequeueReason());
        // The gateway rewinds: the requeued message again, flagged, then the one after it.
        call.send(first.toBuilder().setRedelivery(true).build());
        call.send(second);

        assertEquals(first.getCheckpoint(), call.nextAck().getCheckpoint());
        assertEquals(second.getCheckpoint(), call.nextAck().getCheckpoint());
        assertEquals(List.of(1L, 2L), handled);
        assertEquals(1, consumer.stats().ignored());
    }

    @Test
    void undecodableValue_isRequeuedAndReported_namingTableColumnAndType() throws Exception {
        List<DecodeError> errors = new CopyOnWriteArrayList<>();
        List<Change<Row>> seen = new CopyOnWriteArrayList<>();
        start(options().decodeErrorListener(errors::add).build(), Handlers.builder().otherTables(seen::add).build());
        FakeGateway.Call call = gateway.call(0);
        Field broken = Field.newBuilder().setName("qty").setOid(Messages.INT4).setBinary(ByteString.copyFrom(new byte[3])).build();
        call.send(insert("items", 9, int4("id", 1), broken));

        CaptureAck ack = call.nextAck();
        assertTrue(ack.getRequeueReason().contains("public.items.qty"), ack.getRequeueReason());
        DecodeError error = errors.get(0);
        assertEquals(new TableName("public", "items"), error.table());
        assertEquals("qty", error.column());
        assertEquals(Messages.INT4, error.typeOid());
        assertEquals(DecodeErrorPolicy.REQUEUE, error.policy());
        assertTrue(seen.isEmpty(), "the handler never sees a change it could not decode");
    }

    @Test
    void undecodableValue_withSkipPolicy_isAckedUnhandled_andStillReported() throws Exception {
        List<DecodeError> errors = new CopyOnWriteArrayList<>();
        List<Change<Row>> seen = new CopyOnWriteArrayList<>();
        start(options().onDecodeError(DecodeErrorPolicy.SKIP).decodeErrorListener(errors::add).build(),
                Handlers.builder().otherTables(seen::add).build());
        FakeGateway.Call call = gateway.call(0);
        Field broken = Field.newBuilder().setName("qty").setOid(Messages.INT4).setBinary(ByteString.copyFrom(new byte[3])).build();
        call.send(insert("items", 9, broken));

        assertEquals("", call.nextAck().getRequeueReason());
        assertEquals(1, errors.size());
        assertEquals(DecodeErrorPolicy.SKIP, errors.get(0).policy());
        assertTrue(seen.isEmpty());
        assertEquals(1, consumer.stats().skipped());
    }

    @Test
    void gatewayGoesAway_consumerReconnectsWithTheSameInit_andGoesOn() throws Exception {
        List<Long> handled = new CopyOnWriteArrayList<>();
        start(options().tableRegex("^items$").build(),
                Handlers.builder().otherTables(change -> handled.add(change.checkpoint().lsn().value())).build());
        FakeGateway.Call first = gateway.call(0);
        first.send(insert("items", 1, int4("id", 1)));
        first.nextAck();
        first.fail(Status.UNAVAILABLE.withDescription("gateway restarting"));

        FakeGateway.Call second = gateway.call(1);
        assertEquals(first.init, second.init);
        assertEquals("^items$", second.init.getParameters().getFieldsOrThrow("TableRegex").getStringValue());
        second.send(insert("items", 2, int4("id", 2)));
        second.nextAck();
        assertEquals(List.of(1L, 2L), handled);
        assertEquals(1, consumer.stats().reconnects());
    }

    @Test
    void unknownUri_consumeThrows_namingTheUriAndTheGatewaysReason() throws Exception {
        start(options().build(), Handlers.builder().build());
        gateway.call(0).fail(Status.NOT_FOUND.withDescription("no URI \"items\" in the resolver"));
        consuming.join(10_000);
        ConsumerException e = assertInstanceOf(ConsumerException.class, consumeFailure.get());
        assertTrue(e.getMessage().contains("\"items\"") && e.getMessage().contains("NOT_FOUND"), e.getMessage());
        assertEquals(1, gateway.calls.size(), "a refusal is not retried");
    }

    @Test
    void close_returnsPromptly_endsTheCall_andConsumeReturns() throws Exception {
        start(options().build(), Handlers.builder().otherTables(change -> { }).build());
        FakeGateway.Call call = gateway.call(0);
        call.send(insert("items", 1, int4("id", 1)));
        call.nextAck();

        long started = System.nanoTime();
        consumer.close();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        consuming.join(1_000);
        assertFalse(consuming.isAlive(), "consume has returned");
        assertTrue(call.halfClosed, "the gateway was told nothing more comes");
        assertTrue(tookMillis < 5_000, "close took " + tookMillis + " ms");
        assertNull(consumeFailure.get());
        assertThrows(IllegalStateException.class, () -> consumer.consume(Handlers.builder().build()));
    }

    @Test
    void closeFromAHandler_acksTheChangeItHandled_andHandsOnNothingQueuedBehindIt() throws Exception {
        AtomicReference<Consumer> self = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.CountDownLatch allSent = new java.util.concurrent.CountDownLatch(1);
        start(options().build(), Handlers.builder().otherTables(change -> {
            calls.incrementAndGet();
            allSent.await();
            self.get().close();
        }).build());
        self.set(consumer);
        FakeGateway.Call call = gateway.call(0);
        CaptureMessage first = insert("items", 1, int4("id", 1));
        call.send(first);
        call.send(insert("items", 2, int4("id", 2)));
        call.send(insert("items", 3, int4("id", 3)));
        allSent.countDown();
        assertEquals(first.getCheckpoint(), call.nextAck().getCheckpoint());
        consuming.join(10_000);
        assertFalse(consuming.isAlive());
        await().atMost(Duration.ofSeconds(5)).until(() -> call.halfClosed);
        assertEquals(1, calls.get(), "the changes queued behind the close stay unacknowledged, for the next consumer");
        assertTrue(call.acks.isEmpty());
    }

    @Test
    void asyncHandler_acksWhenItsStageCompletes_andRequeuesWhenItFails() throws Exception {
        List<CompletableFuture<Void>> stages = new CopyOnWriteArrayList<>();
        start(options().build(), Handlers.builder().otherTablesAsync(change -> {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            stages.add(stage);
            return stage;
        }).build());
        FakeGateway.Call call = gateway.call(0);
        CaptureMessage first = insert("items", 1, int4("id", 1));
        CaptureMessage second = insert("items", 2, int4("id", 2));
        call.send(first);
        call.send(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.size() == 2);
        assertTrue(call.acks.isEmpty(), "nothing is acknowledged before its stage completes");

        stages.get(1).complete(null);
        assertEquals(second.getCheckpoint(), call.nextAck().getCheckpoint());
        stages.get(0).completeExceptionally(new RuntimeException("downstream timed out"));
        CaptureAck requeue = call.nextAck();
        assertEquals(first.getCheckpoint(), requeue.getCheckpoint());
        assertEquals("downstream timed out", requeue.getRequeueReason());
    }

    @Test
    void dumpRow_isTheDumpOperation_withItsSnapshotLsn_andNoCommitTime() throws Exception {
        List<Change<Row>> seen = new CopyOnWriteArrayList<>();
        start(options().build(), Handlers.builder().otherTables(seen::add).build());
        FakeGateway.Call call = gateway.call(0);
        // As the gateway sends dump rows: an UPDATE at LSN 0.
        CaptureMessage row = Messages.update("items", 0, int4("id", 1)).toBuilder().clearCommitTime().setSnapshotLsn(4242).build();
        call.send(row);
        call.nextAck();
        Change<Row> change = seen.get(0);
        assertEquals(dev.pgcapture.consumer.Operation.DUMP, change.operation());
        assertTrue(change.isDump());
        assertEquals(new Lsn(4242), change.snapshotLsn());
        assertNull(change.commitTime());
    }

    @Test
    void truncateOfTwoTables_reachesTheHandlerOnceForEach_withTheStatementsOptions() throws Exception {
        List<Change<Row>> seen = new CopyOnWriteArrayList<>();
        start(options().build(), Handlers.builder().otherTables(seen::add).build());
        FakeGateway.Call call = gateway.call(0);
        Builder a = dev.pgcapture.proto.TableName.newBuilder().setSchema("public").setTable("a");
        Builder b = dev.pgcapture.proto.TableName.newBuilder().setSchema("public").setTable("b");
        CaptureMessage truncate = CaptureMessage.newBuilder().setCheckpoint(Messages.checkpoint(50, 0))
                .setChange(dev.pgcapture.proto.Change.newBuilder().setOp(Operation.TRUNCATE).setSchema("public").setTable("a")
                        .setTruncate(Truncate.newBuilder().addTables(a).addTables(b).setCascade(true)))
                .build();
        call.send(truncate);
        assertEquals("", call.nextAck().getRequeueReason());
        assertEquals(2, seen.size());
        assertEquals(new TableName("public", "a"), seen.get(0).table());
        assertEquals(new TableName("public", "b"), seen.get(1).table());
        assertEquals(List.of(new TableName("public", "a"), new TableName("public", "b")), seen.get(1).truncate().tables());
        assertTrue(seen.get(0).truncate().cascade());
        assertNull(seen.get(0).newRow());
    }

    @Test
    void options_badValues_areRefusedNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsumerOptions.builder(" "))
                .getMessage().contains("URI"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsumerOptions.builder("u").tableRegex("(["))
                .getMessage().contains("(["));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsumerOptions.builder("u").mode(DeliveryMode.SHARED).maxAttempts(3).build())
                .getMessage().contains("exact"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsumerOptions.builder("u").debounce(Duration.ofSeconds(-1)))
                .getMessage().contains("debounce"));
    }
}
