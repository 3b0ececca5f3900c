package dev.pgcapture.gateway;

import static dev.pgcapture.gateway.Messages.change;
import static dev.pgcapture.gateway.Messages.checkpoint;
import static dev.pgcapture.gateway.Messages.describe;
import static dev.pgcapture.gateway.Messages.keepAlive;
import static dev.pgcapture.gateway.Messages.txn;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.testkit.GrpcExtension;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CaptureDeliveryTest {

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();
    private GatewayFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private GatewayFixture start(GatewaySettings settings) throws Exception {
        fixture = new GatewayFixture(grpc, settings);
        return fixture;
    }

    @Test
    void capture_sendsOnlyChangesPassingTableRegex_andAcknowledgesBeginCommitKeepAliveAndFilteredItself() throws Exception {
        start(GatewayFixture.settings());
        FakeSource source = fixture.resolver.source("orders");
        source.offer(begin100());
        source.offer(change(100, 1, "orders", 1));
        source.offer(change(100, 2, "order_lines", 1));
        source.offer(change(100, 3, "customers", 7));
        source.offer(Messages.commit(100, 4));
        source.offer(keepAlive(150));

        TestClient client = fixture.client().init("orders", "TableRegex", "^order");
        CaptureMessage first = client.next();
        CaptureMessage second = client.next();

        assertEquals(List.of("c100/1", "c100/2"), describe(List.of(first, second)));
        assertEquals(checkpoint(100, 1).toProto(), first.getCheckpoint(), "lsn, seq and data as the source gave them");
        assertEquals("orders", first.getChange().getTable());
        assertEquals(0, first.getSnapshotLsn());
        await().atMost(Duration.ofSeconds(10)).until(() -> source.commits.size() == 4);
        assertEquals(List.of(checkpoint(100, 0), checkpoint(100, 3), checkpoint(100, 4), checkpoint(150, 0)), source.commits,
                "Begin, the filtered change, Commit and KeepAlive are acknowledged by the gateway, with their data");

        client.ack(first).ack(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> source.commits.size() == 6);
        assertEquals(List.of(checkpoint(100, 1), checkpoint(100, 2)), source.commits.subList(4, 6));
        assertTrue(client.received.isEmpty(), "nothing else was sent");
    }

    @Test
    void liveChange_carriesTheSourcesCommitTime_asATimestamp_andAChangeWithoutOneHasNone() throws Exception {
        start(GatewayFixture.settings());
        FakeSource source = fixture.resolver.source("orders");
        Instant committed = Instant.parse("2026-11-21T09:17:22.077Z");
        SourceMessage stamped = change(100, 1, "orders", 1);
        source.offer(new SourceMessage(stamped.checkpoint(), stamped.message(), committed));
        source.offer(change(200, 1, "orders", 2));

        TestClient client = fixture.client().init("orders");
        CaptureMessage first = client.next();
        CaptureMessage second = client.next();

        assertEquals(Timestamp.newBuilder().setSeconds(committed.getEpochSecond()).setNanos(77_000_000).build(), first.getCommitTime());
        assertEquals(stamped.message().getChange(), first.getChange(), "the rest of the message as before");
        assertEquals(checkpoint(100, 1).toProto(), first.getCheckpoint());
        assertFalse(second.hasCommitTime(), "no commit time where the source knows none");
    }

    @Test
    void exact_selfAcknowledgementsWaitForEarlierChangesTheClientHasNotAcknowledged() throws Exception {
        start(GatewayFixture.settings());
        FakeSource source = fixture.resolver.source("orders");
        source.offer(txn(100, "orders", 1));
        source.offer(txn(200, "customers", 2));

        TestClient client = fixture.client().init("orders", "Mode", "exact", "TableRegex", "orders");
        CaptureMessage change = client.next();
        await().atMost(Duration.ofSeconds(10)).until(() -> source.reads.get() >= 6);

        assertEquals(List.of(pos(100, 0)), source.committedPositions(),
                "only the Begin before the unacknowledged change is released; the rest waits behind it");
        client.ack(change);
        await().atMost(Duration.ofSeconds(10)).until(() -> source.commits.size() == 6);
        assertEquals(List.of(pos(100, 0), pos(100, 1), pos(100, 2), pos(200, 0), pos(200, 1), pos(200, 2)),
                source.committedPositions(), "released in stream order once the change is acknowledged");
    }

    @Test
    void capture_ackOfACheckpointNeverDelivered_endsTheStreamWithInvalidArgumentNamingIt() throws Exception {
        start(GatewayFixture.settings());
        FakeSource source = fixture.resolver.source("orders");
        source.offer(txn(100, "orders", 1));
        TestClient client = fixture.client().init("orders");
        client.next();

        client.ack(checkpoint(999, 5).toProto());

        Status status = client.awaitEnd();
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertEquals("acknowledged checkpoint {lsn 999, seq 5} is not outstanding on this stream: never delivered, or already"
                + " acknowledged", status.getDescription());
        await().atMost(Duration.ofSeconds(10)).until(() -> source.closed);
    }

    @Test
    void capture_secondAckOfTheSameChange_endsTheStreamWithInvalidArgument() throws Exception {
        start(GatewayFixture.settings());
        fixture.resolver.source("orders").offer(txn(100, "orders", 1));
        TestClient client = fixture.client().init("orders");
        CaptureMessage change = client.next();

        client.ack(change).ack(change);

        assertEquals(Status.Code.INVALID_ARGUMENT, client.awaitEnd().getCode());
    }

    @Test
    void shared_requeue_isANegativeAcknowledgementOfTheSource() throws Exception {
        start(GatewayFixture.settings());
        FakeSource source = fixture.resolver.source("orders");
        source.offer(txn(100, "orders", 1, 2));
        TestClient client = fixture.client().init("orders");
        List<CaptureMessage> changes = client.next(2);

        client.requeue(changes.get(0), "database busy").ack(changes.get(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> source.requeues.size() == 1 && source.commits.contains(checkpoint(100, 2)));
        assertEquals(new FakeSource.Requeue(checkpoint(100, 1), "database busy"), source.requeues.get(0));
        assertTrue(!source.commits.contains(checkpoint(100, 1)), "a requeued change is not committed");
    }

    @Test
    void flowControl_clientThatRequestsNothing_stopsItsSourceReads_andOtherStreamsGoOn() throws Exception {
        start(GatewayFixture.settings());
        FakeSource stalled = fixture.resolver.source("orders");
        stalled.offer(manyChanges(1000));
        FakeSource healthy = fixture.resolver.source("other");
        healthy.offer(manyChanges(50));

        TestClient slow = fixture.client(0).init("orders");
        TestClient fast = fixture.client().init("other");
        assertEquals(50, fast.next(50).size(), "the other stream is unaffected");

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> stalled.reads.get() == 0);
        slow.request(3);
        assertEquals(List.of("c1/1", "c2/1", "c3/1"), describe(slow.next(3)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> stalled.reads.get() <= 4 && slow.received.isEmpty());
    }

    @Test
    void window_fullOfUnacknowledgedMessages_stopsSourceReads_andBufferedBytesStayBounded() throws Exception {
        start(GatewayFixture.settings().withWindow(10, 1 << 20));
        FakeSource source = fixture.resolver.source("orders");
        source.offer(manyChanges(1000));
        TestClient client = fixture.client(1000).init("orders");

        List<CaptureMessage> first = client.next(10);
        long oneMessage = first.get(0).getSerializedSize();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> source.reads.get() <= 11 && client.received.isEmpty());
        long buffered = fixture.gateway.bufferedBytes();
        assertTrue(buffered >= 10 * oneMessage && buffered <= 11 * oneMessage + 1024,
                "the gateway holds the window and little else: " + buffered + " bytes, one message is " + oneMessage);

        for (CaptureMessage message : first.subList(0, 5)) {
            client.ack(message);
        }
        assertEquals(List.of("c11/1", "c12/1", "c13/1", "c14/1", "c15/1"), describe(client.next(5)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> client.received.isEmpty());
    }

    @Test
    void window_ofBytes_limitsMessagesInFlight() throws Exception {
        start(GatewayFixture.settings().withWindow(1000, 1));
        FakeSource source = fixture.resolver.source("orders");
        source.offer(manyChanges(10));
        TestClient client = fixture.client().init("orders");

        CaptureMessage first = client.next();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> client.received.isEmpty());
        client.ack(first);
        assertEquals("c2/1", describe(client.next()), "one message larger than the byte window still goes out alone");
    }

    @Test
    void clientCancel_endsTheStream_andClosesItsSource() throws Exception {
        start(GatewayFixture.settings());
        FakeSource source = fixture.resolver.source("orders");
        source.offer(txn(100, "orders", 1));
        TestClient client = fixture.client().init("orders");
        client.next();

        client.cancel();

        await().atMost(Duration.ofSeconds(10)).until(() -> source.closed && fixture.gateway.streams() == 0);
        assertEquals(0, fixture.gateway.bufferedBytes());
    }

    @Test
    void clientHalfClose_endsTheStreamOk() throws Exception {
        start(GatewayFixture.settings());
        FakeSource source = fixture.resolver.source("orders");
        TestClient client = fixture.client().init("orders");
        await().atMost(Duration.ofSeconds(10)).until(() -> source.reads.get() > 0);

        client.halfClose();

        assertEquals(Status.Code.OK, client.awaitEnd().getCode());
        assertTrue(source.closed);
    }

    @Test
    void close_endsEveryStreamWithUnavailable() throws Exception {
        start(GatewayFixture.settings());
        FakeSource first = fixture.resolver.source("orders");
        FakeSource second = fixture.resolver.source("other");
        TestClient a = fixture.client().init("orders");
        TestClient b = fixture.client().init("other");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.reads.get() > 0 && second.reads.get() > 0);

        fixture.gateway.close();

        assertEquals(Status.Code.UNAVAILABLE, a.awaitEnd().getCode());
        assertEquals(Status.Code.UNAVAILABLE, b.awaitEnd().getCode());
        assertTrue(first.closed && second.closed);
        assertEquals(0, fixture.gateway.streams());
    }

    private static List<SourceMessage> manyChanges(int count) {
        List<SourceMessage> messages = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            messages.add(change(i, 1, "orders", i));
        }
        return messages;
    }

    private static SourceMessage begin100() {
        return Messages.begin(100);
    }

    private static Checkpoint pos(long lsn, int seq) {
        return Checkpoint.of(new Lsn(lsn), seq);
    }
}
