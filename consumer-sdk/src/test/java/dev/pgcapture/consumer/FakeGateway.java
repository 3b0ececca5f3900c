package dev.pgcapture.consumer;

import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureInit;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.proto.DBLogGatewayGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted gateway for the SDK's unit tests, served in process: it records each call's init
 * and acknowledgements, and sends what the test tells it to on the current call.
 */
final class FakeGateway implements AutoCloseable {

    /** One Capture call as the gateway sees it. */
    static final class Call {
        final StreamObserver<CaptureMessage> out;
        volatile CaptureInit init;
        final LinkedBlockingQueue<CaptureAck> acks = new LinkedBlockingQueue<>();
        volatile boolean halfClosed;
        volatile boolean cancelled;

        Call(StreamObserver<CaptureMessage> out) {
            this.out = out;
        }

        void send(CaptureMessage message) {
            out.onNext(message);
        }

        void fail(Status status) {
            out.onError(status.asRuntimeException());
        }

        /** The next acknowledgement, waiting at most 10 s. */
        CaptureAck nextAck() throws InterruptedException {
            CaptureAck ack = acks.poll(10, TimeUnit.SECONDS);
            if (ack == null) {
                throw new AssertionError("no acknowledgement within 10 s");
            }
            return ack;
        }
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final ManagedChannel channel;
    private final Server server;

    FakeGateway() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new DBLogGatewayGrpc.DBLogGatewayImplBase() {
            @Override
            public StreamObserver<CaptureRequest> capture(StreamObserver<CaptureMessage> responseObserver) {
                Call call = new Call(responseObserver);
                return new StreamObserver<>() {
                    @Override
                    public void onNext(CaptureRequest request) {
                        if (request.hasInit()) {
                            call.init = request.getInit();
                            calls.add(call);
                        } else {
                            call.acks.add(request.getAck());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        call.cancelled = true;
                    }

                    @Override
                    public void onCompleted() {
                        call.halfClosed = true;
                        responseObserver.onCompleted();
                    }
                };
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** The {@code n}th call (0-based), once it has sent its init. */
    Call call(int n) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> calls.size() > n);
        return calls.get(n);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
