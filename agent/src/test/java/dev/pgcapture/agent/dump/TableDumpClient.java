package dev.pgcapture.agent.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.AgentGrpc;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.ChunkEnd;
import dev.pgcapture.proto.PageRange;
import dev.pgcapture.proto.TableDumpRequest;
import dev.pgcapture.proto.TableDumpResponse;
import dev.pgcapture.proto.TableDumpSnapshot;
import dev.pgcapture.proto.TableDumpStart;
import dev.pgcapture.proto.WholeTable;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's side of one {@code TableDump} call, with manual flow control: the server sends only
 * as many responses as {@link #request} allowed. Responses, the error or the completion are
 * queued as they arrive and taken with a bounded wait. Public for the end-to-end tests of
 * {@code dev.pgcapture.agent}.
 */
public final class TableDumpClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(60);
    private static final Object COMPLETED = new Object();

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final StreamObserver<TableDumpRequest> requests;
    private volatile ClientCallStreamObserver<TableDumpRequest> call;

    /** @param autoRead whether to read responses as fast as they come (else only as {@link #request}ed) */
    public TableDumpClient(AgentGrpc.AgentStub stub, boolean autoRead) {
        requests = stub.tableDump(new ClientResponseObserver<TableDumpRequest, TableDumpResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<TableDumpRequest> requestStream) {
                call = requestStream;
                if (!autoRead) {
                    requestStream.disableAutoRequestWithInitial(0);
                }
            }

            @Override
            public void onNext(TableDumpResponse response) {
                events.add(response);
            }

            @Override
            public void onError(Throwable t) {
                events.add(t);
            }

            @Override
            public void onCompleted() {
                events.add(COMPLETED);
            }
        });
    }

    public void request(int responses) {
        call.request(responses);
    }

    public void start(Lsn minLsn, TableName table, Duration wait) {
        TableDumpStart.Builder start = TableDumpStart.newBuilder().setMinLsn(minLsn.value())
                .setSchema(table.schema()).setTable(table.table());
        if (wait != null) {
            start.setWait(com.google.protobuf.Duration.newBuilder().setSeconds(wait.getSeconds()).setNanos(wait.getNano()));
        }
        requests.onNext(TableDumpRequest.newBuilder().setStart(start).build());
    }

    public void requestPages(long begin, long end) {
        requests.onNext(TableDumpRequest.newBuilder()
                .setChunk(PageRange.newBuilder().setPageBegin((int) begin).setPageEnd((int) end)).build());
    }

    public void requestWhole() {
        requests.onNext(TableDumpRequest.newBuilder().setWhole(WholeTable.getDefaultInstance()).build());
    }

    public void halfClose() {
        requests.onCompleted();
    }

    public TableDumpSnapshot snapshot() throws InterruptedException {
        TableDumpResponse response = next();
        assertTrue(response.hasSnapshot(), () -> "expected the snapshot first, got " + response);
        return response.getSnapshot();
    }

    /** The rows of one chunk, up to its chunk_end, which must echo {@code expectedEnd}'s range. */
    public List<Change> rows(ChunkEnd expectedEnd) throws InterruptedException {
        List<Change> rows = new ArrayList<>();
        while (true) {
            TableDumpResponse response = next();
            if (response.hasChunkEnd()) {
                ChunkEnd end = response.getChunkEnd();
                assertEquals(expectedEnd.getRangeCase(), end.getRangeCase());
                assertEquals(expectedEnd.getPages(), end.getPages());
                assertEquals(rows.size(), end.getRows(), "chunk_end counts the chunk's rows");
                return rows;
            }
            assertTrue(response.hasChange(), () -> "expected a row or chunk_end, got " + response);
            rows.add(response.getChange());
        }
    }

    /** The next response; fails on an error, a completion or a minute of silence. */
    public TableDumpResponse next() throws InterruptedException {
        Object event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (event instanceof TableDumpResponse response) {
            return response;
        }
        if (event instanceof Throwable t) {
            throw new AssertionError("the table dump failed: " + t, t);
        }
        return fail(event == null ? "no response within " + WAIT : "the table dump completed");
    }

    /** Skips responses until the call ends with an error, and returns its status. */
    public Status error() throws InterruptedException {
        while (true) {
            Object event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (event instanceof StatusRuntimeException e) {
                return e.getStatus();
            }
            if (event == null || event == COMPLETED) {
                return fail(event == null ? "no error within " + WAIT : "the table dump completed instead of failing");
            }
        }
    }

    public void awaitCompleted() throws InterruptedException {
        Object event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(COMPLETED, event, "the table dump should complete");
    }

    /** Whether any response, error or completion has arrived and not been taken. */
    public boolean hasEvent() {
        return !events.isEmpty();
    }

    @Override
    public void close() {
        if (call != null) {
            call.cancel("test over", null);
        }
    }
}
