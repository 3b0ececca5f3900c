package dev.pgcapture.gateway;

import dev.pgcapture.testkit.GrpcExtension;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A gateway served in process over fake sources, dumpers and a fake controller, with a clock
 * the test moves. Clients are made from the generated stubs.
 */
final class GatewayFixture implements AutoCloseable {

    final FakeResolver resolver = new FakeResolver();
    final FakeController controller = new FakeController();
    final TestClock clock = new TestClock();
    final GatewayService gateway;
    final ManagedChannel channel;

    GatewayFixture(GrpcExtension grpc, GatewaySettings settings) throws IOException {
        this(grpc, settings, new SimpleMeterRegistry());
    }

    GatewayFixture(GrpcExtension grpc, GatewaySettings settings, MeterRegistry registry) throws IOException {
        ManagedChannel controllerChannel = grpc.serve(controller);
        gateway = new GatewayService(resolver, Optional.of(controllerChannel), settings, clock, registry);
        channel = grpc.serve(gateway);
    }

    GatewayFixture(GrpcExtension grpc) throws IOException {
        this(grpc, settings());
    }

    /** The defaults, with short source polls so that tests run fast. */
    static GatewaySettings settings() {
        return GatewaySettings.defaults().withSourcePoll(Duration.ofMillis(10));
    }

    /** A client that takes up to {@code requests} messages. */
    TestClient client(int requests) {
        return TestClient.open(channel, requests);
    }

    TestClient client() {
        return client(10_000);
    }

    @Override
    public void close() {
        gateway.close();
    }
}
