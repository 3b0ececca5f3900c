package dev.pgcapture.gateway;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.DumpInfoRequest;
import dev.pgcapture.proto.DumpInfoResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A controller whose {@code PullDumpInfo} streams a test drives by hand: it sees each request and sends each chunk. */
final class FakeController extends DBLogControllerGrpc.DBLogControllerImplBase {

    /** One {@code PullDumpInfo} call. */
    static final class Pull {
        private final StreamObserver<DumpInfoResponse> out;
        final LinkedBlockingQueue<DumpInfoRequest> requests = new LinkedBlockingQueue<>();
        volatile boolean ended;

        Pull(StreamObserver<DumpInfoResponse> out) {
            this.out = out;
        }

        synchronized void send(DumpInfoResponse chunk) {
            out.onNext(chunk);
        }

        /** The next request of the gateway, waiting at most 10 s. */
        DumpInfoRequest nextRequest() throws InterruptedException {
            DumpInfoRequest request = requests.poll(10, TimeUnit.SECONDS);
            assertNotNull(request, "the gateway sent no request to the controller within 10 s");
            return request;
        }

        /** Ends the call as a restarting controller does. */
        synchronized void fail() {
            out.onError(Status.UNAVAILABLE.withDescription("controller restarting").asRuntimeException());
        }
    }

    final LinkedBlockingQueue<Pull> pulls = new LinkedBlockingQueue<>();

    /** The next {@code PullDumpInfo} call the gateway opens, waiting at most 10 s. */
    Pull nextPull() throws InterruptedException {
        Pull pull = pulls.poll(10, TimeUnit.SECONDS);
        assertNotNull(pull, "the gateway opened no PullDumpInfo call within 10 s");
        return pull;
    }

    @Override
    public StreamObserver<DumpInfoRequest> pullDumpInfo(StreamObserver<DumpInfoResponse> out) {
        Pull pull = new Pull(out);
        pulls.add(pull);
        return new StreamObserver<>() {
            @Override
            public void onNext(DumpInfoRequest request) {
                pull.requests.add(request);
            }

            @Override
            public void onError(Throwable t) {
                pull.ended = true;
            }

            @Override
            public void onCompleted() {
                pull.ended = true;
                synchronized (pull) {
                    out.onCompleted();
                }
            }
        };
    }
}
