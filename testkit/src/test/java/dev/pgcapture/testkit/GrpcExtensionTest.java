package dev.pgcapture.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.ScheduleRequest;
import dev.pgcapture.proto.ScheduleResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GrpcExtensionTest {

    /** Records the URIs it is asked to schedule. */
    private static final class RecordingController extends DBLogControllerGrpc.DBLogControllerImplBase {
        final List<String> uris = new CopyOnWriteArrayList<>();

        @Override
        public void schedule(ScheduleRequest request, StreamObserver<ScheduleResponse> response) {
            uris.add(request.getUri());
            response.onNext(ScheduleResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    @Test
    void serve_callsReachTheService_andAfterEachShutsEverythingDown() throws Exception {
        GrpcExtension grpc = new GrpcExtension();
        RecordingController controller = new RecordingController();
        ManagedChannel channel = grpc.serve(controller);

        DBLogControllerGrpc.newBlockingStub(channel).schedule(ScheduleRequest.newBuilder().setUri("orders").build());
        assertEquals(List.of("orders"), controller.uris);

        grpc.afterEach(null);
        assertTrue(channel.isTerminated(), "the channel is closed after the test");
    }
}
