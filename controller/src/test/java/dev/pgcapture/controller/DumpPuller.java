package dev.pgcapture.controller;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.DumpInfoRequest;
import dev.pgcapture.proto.DumpInfoResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client of {@code PullDumpInfo}, playing a gateway: registers for a URI, then receives
 * chunks and answers them from the test's thread (never from gRPC's).
 */
final class DumpPuller implements AutoCloseable {

    private static final Object COMPLETED = new Object();

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private volatile ClientCallStreamObserver<DumpInfoRequest> requests;

    private DumpPuller() {
    }

    /** Opens a stream and registers for {@code uri} in {@code mode} ("" for pgcapture's default). */
    static DumpPuller open(Channel channel, String uri, String mode) {
        DumpPuller puller = new DumpPuller();
        DBLogControllerGrpc.newStub(channel).pullDumpInfo(puller.new Observer());
        puller.requests.onNext(DumpInfoRequest.newBuilder().setUri(uri).setMode(mode).build());
        return puller;
    }

    /** The next chunk, within {@code timeout}; fails the test on a stream error or none. */
    DumpInfoResponse next(Duration timeout) throws InterruptedException {
        Object event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event instanceof DumpInfoResponse dump) {
            return dump;
        }
        return fail("expected a chunk within " + timeout + ", got " + (event instanceof Throwable t ? Status.fromThrowable(t) : event));
    }

    /** Whether nothing arrives within {@code wait}. */
    boolean quietFor(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    /** The status the stream ended with, within {@code timeout}. */
    Status error(Duration timeout) throws InterruptedException {
        Object event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(event, "the stream did not end within " + timeout);
        if (event instanceof Throwable t) {
            return Status.fromThrowable(t);
        }
        return fail("expected the stream to fail, got " + event);
    }

    void ack(long rows) {
        requests.onNext(DumpInfoRequest.newBuilder().setRows(rows).build());
    }

    void requeue(String reason) {
        requests.onNext(DumpInfoRequest.newBuilder().setRequeueReason(reason).build());
    }

    /** Cancels the call, as a gateway that goes away does. */
    @Override
    public void close() {
        requests.cancel("test client leaves", null);
    }

    private final class Observer implements ClientResponseObserver<DumpInfoRequest, DumpInfoResponse> {
        @Override
        public void beforeStart(ClientCallStreamObserver<DumpInfoRequest> stream) {
            requests = stream;
        }

        @Override
        public void onNext(DumpInfoResponse dump) {
            events.add(dump);
        }

        @Override
        public void onError(Throwable t) {
            events.add(t);
        }

        @Override
        public void onCompleted() {
            events.add(COMPLETED);
        }
    }
}
