package dev.pgcapture.gateway;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code Capture} client made from the generated stubs only, with manual flow control: it
 * takes only as many messages as it asked for.
 */
final class TestClient implements ClientResponseObserver<CaptureRequest, CaptureMessage> {

    final LinkedBlockingQueue<CaptureMessage> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    private final int initialRequests;
    private ClientCallStreamObserver<CaptureRequest> requests;

    private TestClient(int initialRequests) {
        this.initialRequests = initialRequests;
    }

    /** Opens a stream that asks for {@code initialRequests} messages. */
    static TestClient open(Channel channel, int initialRequests) {
        TestClient client = new TestClient(initialRequests);
        DBLogGatewayGrpc.newStub(channel).capture(client);
        return client;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<CaptureRequest> requestStream) {
        requestStream.disableAutoRequestWithInitial(initialRequests);
        this.requests = requestStream;
    }

    @Override
    public void onNext(CaptureMessage message) {
        received.add(message);
    }

    @Override
    public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }

    /** Sends init with string parameters given as name, value, name, value... */
    TestClient init(String uri, Object... parameters) {
        Struct.Builder struct = Struct.newBuilder();
        for (int i = 0; i < parameters.length; i += 2) {
            Object value = parameters[i + 1];
            struct.putFields((String) parameters[i], value instanceof Number n
                    ? Value.newBuilder().setNumberValue(n.doubleValue()).build()
                    : Value.newBuilder().setStringValue((String) value).build());
        }
        return send(CaptureRequest.newBuilder().setInit(CaptureInit.newBuilder().setUri(uri).setParameters(struct)).build());
    }

    synchronized TestClient send(CaptureRequest request) {
        requests.onNext(request);
        return this;
    }

    TestClient ack(CaptureMessage message) {
        return ack(message.getCheckpoint());
    }

    TestClient ack(Checkpoint checkpoint) {
        return send(CaptureRequest.newBuilder().setAck(CaptureAck.newBuilder().setCheckpoint(checkpoint)).build());
    }

    TestClient requeue(CaptureMessage message, String reason) {
        return send(CaptureRequest.newBuilder()
                .setAck(CaptureAck.newBuilder().setCheckpoint(message.getCheckpoint()).setRequeueReason(reason)).build());
    }

    TestClient request(int messages) {
        requests.request(messages);
        return this;
    }

    void halfClose() {
        requests.onCompleted();
    }

    void cancel() {
        requests.cancel("the test leaves", null);
    }

    /** The next message, waiting at most 10 s. */
    CaptureMessage next() throws InterruptedException {
        CaptureMessage message = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(message, "no message within 10 s (stream end: " + end.getNow(null) + ")");
        return message;
    }

    List<CaptureMessage> next(int count) throws InterruptedException {
        List<CaptureMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(next());
        }
        return messages;
    }

    /** How the stream ended, waiting at most 10 s. */
    Status awaitEnd() throws Exception {
        return end.get(10, TimeUnit.SECONDS);
    }
}
