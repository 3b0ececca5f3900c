package dev.pgcapture.gateway;

import static dev.pgcapture.gateway.Messages.ITEMS;
import static dev.pgcapture.gateway.Messages.chunk;
import static dev.pgcapture.gateway.Messages.describe;
import static dev.pgcapture.gateway.Messages.rows;
import static dev.pgcapture.gateway.Messages.txn;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DumpRedoException;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.DumpInfoRequest;
import dev.pgcapture.testkit.GrpcExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exact-mode table dumps against a fake dumper and a fake controller: changes up to the snapshot
 * first, then the rows of every chunk in that one snapshot, then the changes after it.
 */
class ExactDumpTest {

    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();
    private GatewayFixture fixture;
    private FakeSource source;
    private FakeDumper dumper;

    @BeforeEach
    void start() throws Exception {
        fixture = new GatewayFixture(grpc);
        source = fixture.resolver.source("orders");
        dumper = fixture.resolver.dumper("orders", new FakeDumper());
        dumper.page(ITEMS, 0, rows("items", 1, 3, "snapshot"));
        dumper.page(ITEMS, 1, rows("items", 4, 5, "snapshot"));
        dumper.page(ITEMS, 2, rows("items", 6, 6, "snapshot"));
        source.offer(txn(100, "items", 1));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void exact_tableDump_sendsChangesUpToTheSnapshot_thenEveryChunkInThatSnapshot_thenTheChangesAfterIt() throws Exception {
        Started started = startTable();
        FakeController.Pull pull = started.pull;
        TestClient client = started.client;

        List<CaptureMessage> firstChunk = client.next(5);
        assertEquals(List.of("c200/1", "c300/1", "r1:1", "r1:2", "r1:3"), describe(firstChunk),
                "the changes up to the snapshot (300) come first; 400 is held back");
        CaptureMessage lastRow = firstChunk.get(4);
        assertEquals(0, lastRow.getCheckpoint().getLsn());
        assertEquals(ByteString.copyFrom(new byte[] {1}), lastRow.getCheckpoint().getData(), "data [1] on the chunk's last row");
        assertEquals(ByteString.EMPTY, firstChunk.get(3).getCheckpoint().getData());
        assertEquals(300, lastRow.getSnapshotLsn());
        await().during(QUIET).atMost(WAIT).until(() -> client.received.isEmpty());

        dumper.page(ITEMS, 1, rows("items", 4, 5, "changed after the snapshot"));
        for (CaptureMessage message : firstChunk.subList(0, 4)) {
            client.ack(message);
        }
        await().during(QUIET).atMost(WAIT).until(() -> pull.requests.isEmpty());
        client.ack(lastRow);
        DumpInfoRequest answer = pull.nextRequest();
        assertEquals("", answer.getRequeueReason());
        assertEquals(3, answer.getRows(), "the chunk is acknowledged with its rows once the client acknowledged them all");

        pull.send(chunk(ITEMS, 1, 2, true));
        List<CaptureMessage> secondChunk = client.next(3);
        assertEquals(List.of("r2:4", "r2:5", "r2:6"), describe(secondChunk), "no live change between the chunks of a table");
        assertTrue(secondChunk.stream().allMatch(m -> m.getChange().getNew(1).getText().equals("snapshot")),
                "the second chunk is read in the first one's snapshot");
        assertTrue(secondChunk.stream().allMatch(m -> m.getSnapshotLsn() == 300));
        await().during(QUIET).atMost(WAIT).until(() -> client.received.isEmpty());

        for (CaptureMessage message : secondChunk) {
            client.ack(message);
        }
        assertEquals(3, pull.nextRequest().getRows());
        assertEquals("c400/1", describe(client.next()), "the held-back change comes after the table");
        await().atMost(WAIT).until(() -> dumper.openSnapshots.get() == 0);
    }

    @Test
    void exact_redoWhileReadingAChunk_requeuesTheTableToTheController_andTheLiveStreamResumes() throws Exception {
        Started started = startTable();
        List<CaptureMessage> firstChunk = started.client.next(5);
        for (CaptureMessage message : firstChunk) {
            started.client.ack(message);
        }
        assertEquals(3, started.pull.nextRequest().getRows());

        dumper.chunkFailures.add(new DumpRedoException("the applier needs table items exclusively"));
        started.pull.send(chunk(ITEMS, 1, 2, true));

        DumpInfoRequest answer = started.pull.nextRequest();
        assertEquals("redo: the applier needs table items exclusively", answer.getRequeueReason());
        assertEquals("c400/1", describe(started.client.next()));
        await().atMost(WAIT).until(() -> dumper.openSnapshots.get() == 0);
    }

    @Test
    void exact_tableMissingOnTheReplica_isAcknowledgedWithNoRows() throws Exception {
        dumper.drop(ITEMS);
        TestClient client = fixture.client().init("orders", "Mode", "exact");
        client.ack(client.next());
        FakeController.Pull pull = fixture.controller.nextPull();
        pull.nextRequest();

        pull.send(chunk(ITEMS, 0, 0, false));

        DumpInfoRequest answer = pull.nextRequest();
        assertEquals("", answer.getRequeueReason());
        assertEquals(0, answer.getRows());
        source.offer(txn(200, "items", 2));
        assertEquals("c200/1", describe(client.next()));
    }

    @Test
    void exact_hotStandby_pullsNoDumpsUntilActive() throws Exception {
        source.active = false;
        TestClient client = fixture.client().init("orders", "Mode", "exact");

        await().atMost(WAIT).until(() -> source.reads.get() > 5);
        await().during(QUIET).atMost(WAIT).until(() -> fixture.controller.pulls.isEmpty());
        source.active = true;

        DumpInfoRequest first = fixture.controller.nextPull().nextRequest();
        assertEquals("orders", first.getUri());
        assertEquals("exact", first.getMode());
        assertEquals("c100/1", describe(client.next()));
    }

    @Test
    void exact_requeuedRow_isRetriedInPlace_andTheChunkIsAcknowledgedAfterIt() throws Exception {
        Started started = startTable();
        List<CaptureMessage> first = started.client.next(5);
        started.client.ack(first.get(0)).ack(first.get(1)).ack(first.get(2)).requeue(first.get(3), "row handler failed");
        await().atMost(WAIT).until(() -> fixture.gateway.retriedInPlace() == 1);

        fixture.clock.advance(Duration.ofMillis(100));
        List<CaptureMessage> again = started.client.next(2);
        assertEquals(List.of("r1:2", "r1:3"), describe(again));
        assertTrue(again.get(0).getRedelivery());
        started.client.ack(again.get(0)).ack(again.get(1));

        assertEquals(3, started.pull.nextRequest().getRows());
    }

    @Test
    void exact_rowRequeuedMaxAttemptsTimes_givesTheTableBackToTheController_andTheLiveStreamResumes() throws Exception {
        Started started = startTable("MaxAttempts", 1);
        List<CaptureMessage> first = started.client.next(5);
        started.client.ack(first.get(0)).ack(first.get(1)).ack(first.get(2)).requeue(first.get(3), "poison row");

        DumpInfoRequest answer = started.pull.nextRequest();
        assertEquals("gave up on a row of public.items: poison row", answer.getRequeueReason());
        CaptureMessage after = started.client.next();
        assertEquals("r1:3", describe(after), "delivery rewinds to what follows the row given up");
        assertTrue(after.getRedelivery());
        started.client.ack(after);
        assertEquals("c400/1", describe(started.client.next()), "the live stream resumes after the snapshot");
        assertEquals(1, fixture.gateway.givenUp());
        await().atMost(WAIT).until(() -> dumper.openSnapshots.get() == 0);
    }

    @Test
    void exact_controllerStreamFails_theTableIsAbandoned_andThePullReconnectsAfterBackoff() throws Exception {
        Started started = startTable();
        List<CaptureMessage> first = started.client.next(5);

        started.pull.fail();

        assertEquals("c400/1", describe(started.client.next()), "the live stream resumes");
        await().atMost(WAIT).until(() -> dumper.openSnapshots.get() == 0);
        await().during(QUIET).atMost(WAIT).until(() -> fixture.controller.pulls.isEmpty());
        fixture.clock.advance(Duration.ofSeconds(1));
        assertEquals("exact", fixture.controller.nextPull().nextRequest().getMode());
        for (CaptureMessage message : first) {
            started.client.ack(message);
        }
    }

    @Test
    void exact_catchUpEndsWhenTheSourceStaysQuiet_whenTheHeadIsBeyondWhatThisStreamReads() throws Exception {
        TestClient client = fixture.client().init("orders", "Mode", "exact");
        client.ack(client.next());
        FakeController.Pull pull = fixture.controller.nextPull();
        pull.nextRequest();
        dumper.applied = new Lsn(100);
        source.head(Optional.of(Checkpoint.of(new Lsn(100), 5)));

        pull.send(chunk(ITEMS, 0, 0, true));
        await().atMost(WAIT).until(() -> dumper.tableMinLsns.size() == 1);
        await().during(QUIET).atMost(WAIT).until(() -> client.received.isEmpty());
        fixture.clock.advance(Duration.ofSeconds(1));

        assertEquals(List.of("r1:1", "r1:2", "r1:3"), describe(client.next(3)));
    }

    @Test
    void exact_clientLeavesWhileTheSnapshotWaitsForTheReplica_theStreamEndsPromptly() throws Exception {
        TestClient client = fixture.client().init("orders", "Mode", "exact");
        client.ack(client.next());
        FakeController.Pull pull = fixture.controller.nextPull();
        pull.nextRequest();
        dumper.holdTables();
        pull.send(chunk(ITEMS, 0, 0, false));
        await().atMost(WAIT).until(() -> dumper.tableMinLsns.size() == 1);

        client.cancel();

        await().atMost(Duration.ofSeconds(2)).until(() -> source.closed && fixture.gateway.streams() == 0);
        assertTrue(pull.nextRequest().getRequeueReason().startsWith("redo: "), "the table is handed back to the controller");
        await().atMost(WAIT).until(() -> pull.ended);
    }

    /** A client in exact mode that has acknowledged c100 and is paused for table items (snapshot 300, c400 held back). */
    private Started startTable(Object... parameters) throws Exception {
        Object[] init = new Object[parameters.length + 2];
        init[0] = "Mode";
        init[1] = "exact";
        System.arraycopy(parameters, 0, init, 2, parameters.length);
        TestClient client = fixture.client().init("orders", init);
        client.ack(client.next());
        FakeController.Pull pull = fixture.controller.nextPull();
        DumpInfoRequest register = pull.nextRequest();
        assertEquals("orders", register.getUri());
        assertEquals("exact", register.getMode());

        CountDownLatch gate = dumper.holdTables();
        dumper.applied = new Lsn(300);
        pull.send(chunk(ITEMS, 0, 0, false));
        await().atMost(WAIT).until(() -> dumper.tableMinLsns.size() == 1);
        assertEquals(new Lsn(100), dumper.tableMinLsns.get(0), "paused at the last change delivered");
        source.offer(txn(200, "items", 2));
        source.offer(txn(300, "items", 3));
        source.offer(txn(400, "items", 1));
        gate.countDown();
        return new Started(client, pull);
    }

    private record Started(TestClient client, FakeController.Pull pull) {
    }
}
