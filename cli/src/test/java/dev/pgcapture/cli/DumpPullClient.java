package dev.pgcapture.cli;

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

/** A test client of {@code PullDumpInfo} playing a gateway: registers for a URI, receives chunks, answers them from the test thread. */
final class DumpPullClient implements AutoCloseable {

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private volatile ClientCallStreamObserver<DumpInfoRequest> requests;

    static DumpPullClient open(Channel channel, String uri) {
        DumpPullClient client = new DumpPullClient();
        DBLogControllerGrpc.newStub(channel).pullDumpInfo(new ClientResponseObserver<DumpInfoRequest, DumpInfoResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<DumpInfoRequest> stream) {
                client.requests = stream;
            }

            @Override
            public void onNext(DumpInfoResponse dump) {
                client.events.add(dump);
            }

            @Override
            public void onError(Throwable t) {
                client.events.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                client.events.add(Status.OK.withDescription("completed by the controller"));
            }
        });
        client.requests.onNext(DumpInfoRequest.newBuilder().setUri(uri).build());
        return client;
    }

    /** The next chunk, or the status the stream ended with, or null after {@code timeout}. */
    Object next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void ack(long rows) {
        requests.onNext(DumpInfoRequest.newBuilder().setRows(rows).build());
    }

    @Override
    public void close() {
        requests.cancel("test client leaves", null);
    }
}
