package dev.pgcapture.gateway;

import static dev.pgcapture.gateway.Messages.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.testkit.GrpcExtension;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CaptureInitTest {

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();
    private GatewayFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new GatewayFixture(grpc);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void capture_firstRequestIsAnAck_isInvalidArgument_andOtherStreamsAreServed() throws Exception {
        TestClient client = fixture.client();
        client.send(CaptureRequest.newBuilder().setAck(CaptureAck.getDefaultInstance()).build());

        assertStatus(client, Status.Code.INVALID_ARGUMENT, "the first request must be init");
        assertServed();
    }

    @Test
    void capture_unknownUri_isNotFoundNamingIt() throws Exception {
        TestClient client = fixture.client().init("nowhere");

        assertStatus(client, Status.Code.NOT_FOUND, "no source is configured for URI \"nowhere\"");
        assertServed();
    }

    @Test
    void capture_unknownMode_isInvalidArgumentNamingIt() throws Exception {
        fixture.resolver.source("orders");
        TestClient client = fixture.client().init("orders", "Mode", "fast");

        assertStatus(client, Status.Code.INVALID_ARGUMENT, "unknown Mode \"fast\": expected \"exact\" or \"shared\"");
        assertServed();
    }

    @Test
    void capture_badTableRegex_isInvalidArgumentNamingIt() throws Exception {
        fixture.resolver.source("orders");
        TestClient client = fixture.client().init("orders", "TableRegex", "items[");

        assertStatus(client, Status.Code.INVALID_ARGUMENT, "invalid TableRegex \"items[\": Unclosed character class");
        assertServed();
    }

    @Test
    void capture_maxAttemptsNotAWholeNumber_isInvalidArgumentNamingIt() throws Exception {
        fixture.resolver.source("orders");
        TestClient client = fixture.client().init("orders", "Mode", "exact", "MaxAttempts", 0);

        assertStatus(client, Status.Code.INVALID_ARGUMENT, "MaxAttempts must be a whole number from 1 to 2147483647, was 0.0");
        assertServed();
    }

    @Test
    void capture_maxAttemptsInSharedMode_isInvalidArgument() throws Exception {
        fixture.resolver.source("orders");
        TestClient client = fixture.client().init("orders", "MaxAttempts", 3);

        assertStatus(client, Status.Code.INVALID_ARGUMENT, "MaxAttempts applies to Mode \"exact\" only");
        assertServed();
    }

    @Test
    void capture_subscriptionInTheOtherMode_isFailedPreconditionWithTheResolversMessage() throws Exception {
        fixture.resolver.source("orders");
        fixture.resolver.bind("orders", DeliveryMode.SHARED);
        TestClient client = fixture.client().init("orders", "Mode", "exact");

        assertStatus(client, Status.Code.FAILED_PRECONDITION,
                "subscription of URI \"orders\" is consumed in shared mode, not exact");
        assertServed();
    }

    @Test
    void capture_secondInit_isInvalidArgument_andTheSourceIsClosed() throws Exception {
        FakeSource source = fixture.resolver.source("orders");
        TestClient client = fixture.client().init("orders").init("orders");

        assertStatus(client, Status.Code.INVALID_ARGUMENT, "init was already received");
        assertTrue(source.closed, "the stream's source is closed");
    }

    private static void assertStatus(TestClient client, Status.Code code, String description) throws Exception {
        Status status = client.awaitEnd();
        assertEquals(code, status.getCode(), "status " + status);
        assertTrue(status.getDescription().contains(description), status.getDescription());
    }

    /** Another stream, on a URI that works, still receives its changes. */
    private void assertServed() throws Exception {
        FakeSource source = fixture.resolver.source("healthy");
        source.offer(txn(100, "items", 1));
        TestClient other = fixture.client().init("healthy");
        assertEquals("c100/1", Messages.describe(other.next()));
        assertEquals(1, fixture.gateway.streams(), "only the healthy stream is open");
    }
}
