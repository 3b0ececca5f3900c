package dev.pgcapture.testkit;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * In-process gRPC servers and channels for a test, shut down after each test.
 *
 * <pre>{@code
 * @RegisterExtension final GrpcExtension grpc = new GrpcExtension();
 * ...
 * ManagedChannel channel = grpc.serve(new MyService());
 * }</pre>
 */
public final class GrpcExtension implements AfterEachCallback {

    private static final long SHUTDOWN_SECONDS = 5;

    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    /** Starts an in-process server with {@code services} and returns a channel to it. */
    public synchronized ManagedChannel serve(BindableService... services) throws IOException {
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
        for (BindableService service : services) {
            builder.addService(service);
        }
        servers.add(builder.build().start());
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        channels.add(channel);
        return channel;
    }

    /** Shuts every channel and server down, waiting a bounded time for calls in flight. */
    @Override
    public synchronized void afterEach(ExtensionContext context) throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
        }
        for (Server server : servers) {
            server.shutdownNow();
        }
        boolean clean = true;
        for (ManagedChannel channel : channels) {
            clean &= channel.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        }
        for (Server server : servers) {
            clean &= server.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        }
        channels.clear();
        servers.clear();
        if (!clean) {
            throw new IllegalStateException("in-process gRPC did not shut down within " + SHUTDOWN_SECONDS + " s");
        }
    }
}
