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
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DescribeTypesRequest;
import dev.pgcapture.proto.DescribeTypesResponse;
import dev.pgcapture.proto.DBLogGatewayGrpc;
import dev.pgcapture.proto.DumpInfoRequest;
import dev.pgcapture.testkit.GrpcExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** pgcapture's dumps in shared mode: a snapshot per chunk, rows with pgcapture's checkpoint conventions. */
class SharedDumpTest {

    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();
    private GatewayFixture fixture;
    private FakeSource source;
    private FakeDumper dumper;
    private TestClient client;
    private FakeController.Pull pull;

    @BeforeEach
    void start() throws Exception {
        fixture = new GatewayFixture(grpc);
        source = fixture.resolver.source("orders");
        dumper = fixture.resolver.dumper("orders", new FakeDumper());
        dumper.page(ITEMS, 0, rows("items", 1, 3, "dumped"));
        dumper.page(ITEMS, 1, rows("items", 4, 4, "dumped"));
        dumper.applied = new Lsn(500);
        source.offer(txn(100, "items", 1));
        client = fixture.client().init("orders");
        client.ack(client.next());
        pull = fixture.controller.nextPull();
        DumpInfoRequest register = pull.nextRequest();
        assertEquals("orders", register.getUri());
        assertEquals("shared", register.getMode());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shared_chunkRows_carryLsn0_theChunkIdAsSeq_data1OnTheLast_andTheSnapshotLsn() throws Exception {
        pull.send(chunk(ITEMS, 0, 0, false));
        List<CaptureMessage> rows = client.next(3);

        assertEquals(List.of("r1:1", "r1:2", "r1:3"), describe(rows));
        assertEquals(List.of(new Lsn(100)), dumper.dumpMinLsns, "read no older than the last change delivered");
        for (CaptureMessage row : rows) {
            assertEquals(0, row.getCheckpoint().getLsn());
            assertEquals(1, row.getCheckpoint().getSeq());
            assertEquals(500, row.getSnapshotLsn());
            assertEquals(Change.Operation.UPDATE, row.getChange().getOp(), "rows come as the agent sends them");
        }
        assertEquals(List.of(ByteString.EMPTY, ByteString.EMPTY, ByteString.copyFrom(new byte[] {1})),
                rows.stream().map(r -> r.getCheckpoint().getData()).toList());

        client.ack(rows.get(0)).ack(rows.get(1));
        await().during(QUIET).atMost(WAIT).until(() -> pull.requests.isEmpty());
        client.ack(rows.get(2));
        DumpInfoRequest answer = pull.nextRequest();
        assertEquals("", answer.getRequeueReason());
        assertEquals(3, answer.getRows());

        pull.send(chunk(ITEMS, 1, 1, true));
        CaptureMessage next = client.next();
        assertEquals("r2:4", describe(next), "the next chunk has the next id");
        client.ack(next);
        assertEquals(1, pull.nextRequest().getRows());
    }

    @Test
    void shared_rowsGoOutInterleavedWithTheLiveStream() throws Exception {
        dumper.page(ITEMS, 5, rows("items", 10, 19, "dumped"));
        source.offer(txn(200, "items", 20, 21, 22));
        pull.send(chunk(ITEMS, 5, 5, true));

        List<String> got = describe(client.next(13));
        assertTrue(got.containsAll(List.of("c200/1", "c200/2", "c200/3")), got.toString());
        int firstLive = got.indexOf("c200/1");
        assertTrue(firstLive < 10, "live changes do not wait for the whole chunk: " + got);
    }

    @Test
    void shared_requeueOfARow_requeuesTheChunk_andLaterAcksOfItsRowsAreAbsorbed() throws Exception {
        pull.send(chunk(ITEMS, 0, 0, false));
        List<CaptureMessage> rows = client.next(3);

        client.ack(rows.get(0)).requeue(rows.get(1), "cannot apply").ack(rows.get(2));

        DumpInfoRequest answer = pull.nextRequest();
        assertEquals("cannot apply", answer.getRequeueReason());
        source.offer(txn(200, "items", 7));
        assertEquals("c200/1", describe(client.next()), "the stream goes on");
    }

    @Test
    void shared_emptyChunk_isAcknowledgedAtOnceWithNoRows() throws Exception {
        dumper.page(new TableName("public", "empty"), 0, List.of());
        pull.send(chunk(new TableName("public", "empty"), 0, 0, true));
        DumpInfoRequest answer = pull.nextRequest();
        assertEquals(0, answer.getRows());
        assertEquals("", answer.getRequeueReason());
        await().during(QUIET).atMost(WAIT).until(() -> client.received.isEmpty());
    }

    @Test
    void shared_chunkOfATableTheClientFiltersOut_isAcknowledgedWithoutReadingIt() throws Exception {
        fixture.resolver.source("filtered");
        fixture.resolver.dumper("filtered", dumper);
        TestClient filtered = fixture.client().init("filtered", "TableRegex", "^orders$");
        FakeController.Pull filteredPull = fixture.controller.nextPull();
        filteredPull.nextRequest();

        filteredPull.send(chunk(ITEMS, 0, 0, true));

        assertEquals(0, filteredPull.nextRequest().getRows());
        assertEquals(0, dumper.dumpMinLsns.size(), "the replica was not read");
        await().during(QUIET).atMost(WAIT).until(() -> filtered.received.isEmpty());
    }

    @Test
    void shared_clientLeaves_requeuesTheChunkInHand() throws Exception {
        pull.send(chunk(ITEMS, 0, 0, false));
        client.next(3);

        client.cancel();

        assertEquals("the consumer left", pull.nextRequest().getRequeueReason());
        await().atMost(WAIT).until(() -> pull.ended && dumper.openDumps.get() == 0);
    }

    @Test
    void shared_tableMissingOnTheReplica_isAcknowledgedWithNoRows() throws Exception {
        pull.send(chunk(new TableName("public", "nothing_here"), 0, 0, false));

        DumpInfoRequest answer = pull.nextRequest();
        assertEquals("", answer.getRequeueReason());
        assertEquals(0, answer.getRows());
    }

    @Test
    void shared_dumpFailure_requeuesTheChunkWithTheReason() throws Exception {
        dumper.dumpFailures.add(new IllegalStateException("replica is 2 s behind 0/64"));
        pull.send(chunk(ITEMS, 0, 0, false));

        assertEquals("dump failed: replica is 2 s behind 0/64", pull.nextRequest().getRequeueReason());
        pull.send(chunk(ITEMS, 0, 0, false));
        assertEquals(3, client.next(3).size(), "the chunk handed again is delivered");
    }

    @Test
    void describeTypes_answersFromTheUrisDumper_unknownUrisAreNotFound_andUrisWithoutDumpsFailedPrecondition() {
        DBLogGatewayGrpc.DBLogGatewayBlockingStub stub = DBLogGatewayGrpc.newBlockingStub(fixture.channel);
        DescribeTypesResponse response = stub.describeTypes(DescribeTypesRequest.newBuilder().setUri("orders").addOids(16385).build());
        assertEquals("t16385", response.getTypes(0).getName());

        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> stub.describeTypes(DescribeTypesRequest.newBuilder().setUri("nowhere").addOids(1).build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());

        fixture.resolver.source("audit");
        e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> stub.describeTypes(DescribeTypesRequest.newBuilder().setUri("audit").addOids(1).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals("URI \"audit\" has no replica configured (no dumps), so its types cannot be described", e.getStatus().getDescription());
    }
}
