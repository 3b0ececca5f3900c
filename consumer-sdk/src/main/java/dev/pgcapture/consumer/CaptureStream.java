package dev.pgcapture.consumer;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.pgcapture.core.CaptureParameters;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureInit;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.proto.Checkpoint;
import dev.pgcapture.proto.DBLogGatewayGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.BlockingQueue;

/**
 * One {@code Capture} call to the gateway: sends the init, then acknowledgements and requeues;
 * puts what the gateway sends, and the call's end, on the consumer's event queue. Flow control
 * is manual: the gateway may send {@code prefetch} messages, and one more each time the
 * consumer is done with one ({@link #request}).
 */
final class CaptureStream {

    /** Something for the consumer's thread: a message, an asynchronous handler's end, the call's end, a close. */
    sealed interface Event permits Received, Finished, Ended, Closing {
    }

    /** A message of stream {@code stream}. */
    record Received(CaptureStream stream, CaptureMessage message) implements Event {
    }

    /** The call of stream {@code stream} ended with {@code status}. */
    record Ended(CaptureStream stream, Status status) implements Event {
    }

    /** An asynchronous handler finished: {@code failure} is null when it succeeded. */
    record Finished(CaptureStream stream, Object work, Throwable failure) implements Event {
    }

    /** The consumer is being closed. */
    record Closing() implements Event {
    }

    private final ClientCallStreamObserver<CaptureRequest> requests;
    private volatile boolean ended;

    private CaptureStream(Channel channel, BlockingQueue<Event> events, int prefetch) {
        ClientCallStreamObserver<CaptureRequest>[] started = new ClientCallStreamObserver[1];
        DBLogGatewayGrpc.newStub(channel).capture(new ClientResponseObserver<CaptureRequest, CaptureMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<CaptureRequest> requestStream) {
                requestStream.disableAutoRequestWithInitial(prefetch);
                started[0] = requestStream;
            }

            @Override
            public void onNext(CaptureMessage message) {
                events.add(new Received(CaptureStream.this, message));
            }

            @Override
            public void onError(Throwable t) {
                ended = true;
                events.add(new Ended(CaptureStream.this, Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                ended = true;
                events.add(new Ended(CaptureStream.this, Status.OK));
            }
        });
        this.requests = started[0];
    }

    /** Opens a call and sends the init of {@code options}. */
    static CaptureStream open(Channel channel, ConsumerOptions options, BlockingQueue<Event> events) {
        CaptureStream stream = new CaptureStream(channel, events, options.prefetch());
        stream.send(CaptureRequest.newBuilder().setInit(CaptureInit.newBuilder()
                .setUri(options.uri())
                .setParameters(parameters(options))).build());
        return stream;
    }

    static Struct parameters(ConsumerOptions options) {
        Struct.Builder parameters = Struct.newBuilder();
        parameters.putFields(DeliveryMode.PARAMETER, Value.newBuilder()
                .setStringValue(options.mode() == DeliveryMode.EXACT ? "exact" : "shared").build());
        options.tableRegex().ifPresent(regex -> parameters.putFields(CaptureParameters.TABLE_REGEX,
                Value.newBuilder().setStringValue(regex).build()));
        options.maxAttempts().ifPresent(attempts -> parameters.putFields(CaptureParameters.MAX_ATTEMPTS,
                Value.newBuilder().setNumberValue(attempts).build()));
        return parameters.build();
    }

    /** Lets the gateway send one more message. */
    void request() {
        if (!ended) {
            requests.request(1);
        }
    }

    void ack(Checkpoint checkpoint) {
        send(CaptureRequest.newBuilder().setAck(CaptureAck.newBuilder().setCheckpoint(checkpoint)).build());
    }

    void requeue(Checkpoint checkpoint, String reason) {
        send(CaptureRequest.newBuilder().setAck(CaptureAck.newBuilder().setCheckpoint(checkpoint)
                .setRequeueReason(reason.isEmpty() ? "requeued" : reason)).build());
    }

    /** Tells the gateway nothing more comes; it ends the call once it has taken what was sent. */
    synchronized void finish() {
        if (!ended) {
            try {
                requests.onCompleted();
            } catch (IllegalStateException e) {
                // already finished or cancelled
            }
        }
    }

    /** Cuts the call; unacknowledged messages come again on the next call. */
    synchronized void cancel(String why) {
        requests.cancel(why, null);
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    private synchronized void send(CaptureRequest request) {
        if (!ended) {
            try {
                requests.onNext(request);
            } catch (IllegalStateException e) {
                // the call was cancelled or finished meanwhile: what it did not take comes again
            }
        }
    }
}
