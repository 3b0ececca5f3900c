package dev.pgcapture.gateway;

import static dev.pgcapture.gateway.Messages.change;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.testkit.GrpcExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway's meters per URI, as a consumer's deliveries, acknowledgements and requeues move them. */
class GatewayMetersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private GatewayFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private double gauge(String name, String uri) {
        return registry.get(name).tag("uri", uri).gauge().value();
    }

    private double counter(String name, String uri) {
        return registry.get(name).tag("uri", uri).counter().count();
    }

    @Test
    void inFlight_isDeliveredButUnacknowledged_perUri_andRequeuesAndConsumersAreCounted() throws Exception {
        fixture = new GatewayFixture(grpc, GatewayFixture.settings(), registry);
        FakeSource source = fixture.resolver.source("orders");
        for (int id = 1; id <= 3; id++) {
            source.offer(change(100 * id, 1, "orders", id));
        }

        TestClient client = fixture.client().init("orders");
        CaptureMessage first = client.next();
        CaptureMessage second = client.next();
        CaptureMessage third = client.next();
        await().atMost(WAIT).until(() -> gauge("pgcapture.gateway.in.flight", "orders") == 3);
        assertEquals(1, gauge("pgcapture.gateway.consumers", "orders"));
        assertEquals(3, counter("pgcapture.gateway.changes.delivered", "orders"));
        assertEquals(Optional.empty(), fixture.gateway.whyNotReady());

        client.ack(first).ack(second);
        await().atMost(WAIT).until(() -> gauge("pgcapture.gateway.in.flight", "orders") == 1);

        client.requeue(third, "handler failed");
        await().atMost(WAIT).until(() -> counter("pgcapture.gateway.requeues", "orders") == 1);
        await().atMost(WAIT).until(() -> gauge("pgcapture.gateway.in.flight", "orders") == 0);

        client.cancel();
        await().atMost(WAIT).until(() -> gauge("pgcapture.gateway.consumers", "orders") == 0);
        fixture.close();
        assertEquals(Optional.of("the gateway is shutting down"), fixture.gateway.whyNotReady());
    }
}
