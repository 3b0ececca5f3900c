package dev.pgcapture.controller;

import dev.pgcapture.proto.DumpInfoRequest;
import dev.pgcapture.proto.DumpInfoResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One {@code PullDumpInfo} call. Its first request registers a client; each later one answers
 * the chunk sent last. Requests are read one at a time ({@code request(1)} after each is
 * handled); the service sends at most one chunk before the answer to it, so the outbound side
 * needs no more flow control than that. Writes to the response observer are serialized here.
 */
final class PullStream implements StreamObserver<DumpInfoRequest> {

    private final ControllerService service;
    private final ServerCallStreamObserver<DumpInfoResponse> out;
    private volatile Client client;
    private boolean closed; // guarded by this

    PullStream(ControllerService service, ServerCallStreamObserver<DumpInfoResponse> out) {
        this.service = service;
        this.out = out;
    }

    /** Prepares the call: manual flow control, cancellation ends the client. */
    void start() {
        out.disableAutoRequest();
        out.setOnCancelHandler(this::ended);
        out.request(1);
    }

    Client client() {
        return client;
    }

    @Override
    public void onNext(DumpInfoRequest request) {
        if (client == null) {
            client = service.register(this, request);
        } else {
            service.answer(this, client, request);
        }
        synchronized (this) {
            if (!closed) {
                out.request(1);
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        ended();
    }

    @Override
    public void onCompleted() {
        ended();
        synchronized (this) {
            if (!closed) {
                closed = true;
                out.onCompleted();
            }
        }
    }

    /** Sends a chunk; false when the call is over (the chunk then goes back with the client's disconnect). */
    synchronized boolean send(DumpInfoResponse dump) {
        if (closed || out.isCancelled()) {
            return false;
        }
        out.onNext(dump);
        return true;
    }

    /** Ends the call with {@code status}, unless it is over already. */
    synchronized void fail(Status status) {
        if (!closed) {
            closed = true;
            out.onError(status.asRuntimeException());
        }
    }

    private void ended() {
        Client c = client;
        if (c != null) {
            service.disconnect(c);
        }
    }
}
