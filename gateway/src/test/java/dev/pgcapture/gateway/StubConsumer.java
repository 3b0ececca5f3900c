package dev.pgcapture.gateway;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureInit;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.proto.DBLogGatewayGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A consumer built from the generated gRPC stubs only, as any client of the protocol could be:
 * it takes {@code prefetch} messages ahead, hands each to a handler on its own thread, and
 * answers as the handler says (null acknowledges, a reason requeues). In exact mode it keeps
 * commit order as the protocol asks: after a requeue it ignores every message until the one
 * flagged {@code redelivery}.
 */
final class StubConsumer implements AutoCloseable {

    /** Handles one message: null to acknowledge it, or the reason to requeue it. */
    @FunctionalInterface
    interface Handler {
        String handle(CaptureMessage message) throws Exception;
    }

    private final LinkedBlockingQueue<CaptureMessage> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> end = new CompletableFuture<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final boolean exact;
    private final Handler handler;
    private final Thread thread;
    private final ClientCallStreamObserver<CaptureRequest> requests;
    final AtomicLong handled = new AtomicLong();
    final AtomicLong requeued = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();
    private volatile boolean closed;

    private StubConsumer(Channel channel, String uri, Map<String, Object> parameters, int prefetch, Handler handler) {
        this.exact = "exact".equals(parameters.get("Mode"));
        this.handler = handler;
        AtomicReference<ClientCallStreamObserver<CaptureRequest>> stream = new AtomicReference<>();
        DBLogGatewayGrpc.newStub(channel).capture(new ClientResponseObserver<CaptureRequest, CaptureMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<CaptureRequest> requestStream) {
                requestStream.disableAutoRequestWithInitial(prefetch);
                stream.set(requestStream);
            }

            @Override
            public void onNext(CaptureMessage message) {
                inbox.add(message);
            }

            @Override
            public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                end.complete(Status.OK);
            }
        });
        this.requests = stream.get();
        Struct.Builder struct = Struct.newBuilder();
        parameters.forEach((name, value) -> struct.putFields(name, value instanceof Number n
                ? Value.newBuilder().setNumberValue(n.doubleValue()).build()
                : Value.newBuilder().setStringValue(value.toString()).build()));
        send(CaptureRequest.newBuilder().setInit(CaptureInit.newBuilder().setUri(uri).setParameters(struct)).build());
        this.thread = Thread.ofPlatform().name("stub-consumer-" + uri).start(this::run);
    }

    static StubConsumer start(Channel channel, String uri, Map<String, Object> parameters, int prefetch, Handler handler) {
        return new StubConsumer(channel, uri, parameters, prefetch, handler);
    }

    private void run() {
        boolean ignoring = false;
        try {
            while (!closed) {
                CaptureMessage message = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (message == null) {
                    continue;
                }
                requests.request(1);
                if (ignoring && !message.getRedelivery()) {
                    ignored.incrementAndGet();
                    continue;
                }
                ignoring = false;
                String reason = handler.handle(message);
                CaptureAck.Builder ack = CaptureAck.newBuilder().setCheckpoint(message.getCheckpoint());
                if (reason != null) {
                    ack.setRequeueReason(reason);
                    requeued.incrementAndGet();
                    ignoring = exact;
                } else {
                    handled.incrementAndGet();
                }
                send(CaptureRequest.newBuilder().setAck(ack).build());
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private synchronized void send(CaptureRequest request) {
        requests.onNext(request);
    }

    /** Fails with the handler's failure, or with the stream's end if it ended. */
    void check() {
        Throwable failed = failure.get();
        if (failed != null) {
            throw new AssertionError("the consumer's handler failed", failed);
        }
        Status status = end.getNow(null);
        if (status != null) {
            throw new AssertionError("the capture stream ended: " + status);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(10_000);
        requests.cancel("the consumer closes", null);
    }
}
