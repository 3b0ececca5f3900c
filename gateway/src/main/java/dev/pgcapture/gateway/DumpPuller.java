package dev.pgcapture.gateway;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.DumpInfoRequest;
import dev.pgcapture.proto.DumpInfoResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * A stream's {@code PullDumpInfo} call to the controller: registers for the URI in the stream's
 * mode, receives one chunk at a time, and answers each (acknowledged with its row count, or
 * requeued with a reason), which also asks for the next.
 *
 * <p>Only the session thread calls its methods; chunks and the end of the call reach the
 * session through its {@link Inbox}, tagged with the call's generation so that events of a call
 * given up are told apart from the current one's.
 */
final class DumpPuller {

    private final Channel controller;
    private final String uri;
    private final DeliveryMode mode;
    private final Inbox inbox;
    private long generation;
    private ClientCallStreamObserver<DumpInfoRequest> call;
    private DumpInfoResponse inHand;

    DumpPuller(Channel controller, String uri, DeliveryMode mode, Inbox inbox) {
        this.controller = controller;
        this.uri = uri;
        this.mode = mode;
        this.inbox = inbox;
    }

    /** Opens a new call and registers; a chunk will come through the inbox. */
    void connect() {
        long current = ++generation;
        inHand = null;
        DBLogControllerGrpc.newStub(controller).pullDumpInfo(new ClientResponseObserver<DumpInfoRequest, DumpInfoResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<DumpInfoRequest> requestStream) {
                requestStream.disableAutoRequestWithInitial(1);
                call = requestStream;
            }

            @Override
            public void onNext(DumpInfoResponse chunk) {
                inbox.add(new Inbox.Chunk(current, chunk));
            }

            @Override
            public void onError(Throwable t) {
                inbox.add(new Inbox.PullEnded(current, Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                inbox.add(new Inbox.PullEnded(current, Status.OK.withDescription("the controller ended the stream")));
            }
        });
        call.onNext(DumpInfoRequest.newBuilder().setUri(uri).setMode(mode.parameterValue()).build());
    }

    boolean connected() {
        return call != null;
    }

    /** Whether {@code event} belongs to the current call. */
    boolean current(long eventGeneration) {
        return call != null && eventGeneration == generation;
    }

    /** Records the chunk the controller just handed. */
    void received(DumpInfoResponse chunk) {
        inHand = chunk;
    }

    /** The chunk handed and not answered yet, or null. */
    DumpInfoResponse inHand() {
        return inHand;
    }

    /** Acknowledges the chunk in hand, which asks for the next. */
    void ack(long rows) {
        answer(DumpInfoRequest.newBuilder().setRows(rows).build());
    }

    /** Requeues the chunk in hand (in exact mode, the whole table), which asks for the next. */
    void requeue(String reason) {
        answer(DumpInfoRequest.newBuilder().setRequeueReason(reason.isEmpty() ? "requeued" : reason).build());
    }

    private void answer(DumpInfoRequest request) {
        if (call == null || inHand == null) {
            return;
        }
        inHand = null;
        call.onNext(request);
        call.request(1);
    }

    /** The call failed: forget it (its chunk in hand is abandoned). */
    void lost() {
        call = null;
        inHand = null;
    }

    /** Ends the call: a chunk in hand is requeued with {@code reason} first. */
    void close(String reason) {
        if (call == null) {
            return;
        }
        if (inHand != null) {
            requeue(reason);
        }
        ClientCallStreamObserver<DumpInfoRequest> ending = call;
        call = null;
        ending.onCompleted();
    }
}
