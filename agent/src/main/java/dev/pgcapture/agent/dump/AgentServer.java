package dev.pgcapture.agent.dump;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Serves an {@link AgentService} on a server built from the given builder: a Netty builder in
 * production ({@code NettyServerBuilder.forAddress(...)}), an in-process one in tests.
 * {@link #shutdown} lets calls finish until a deadline, then cancels the rest.
 */
public final class AgentServer {

    private final Server server;
    private final AgentService service;

    public AgentServer(ServerBuilder<?> builder, AgentService service) {
        this.service = Objects.requireNonNull(service, "service");
        this.server = builder.addService(service).build();
    }

    /** A server for {@code service} on a TCP address (plaintext), not yet started. */
    public static AgentServer on(InetSocketAddress address, AgentService service) {
        return new AgentServer(NettyServerBuilder.forAddress(address), service);
    }

    public AgentServer start() throws IOException {
        server.start();
        return this;
    }

    /** The port the server listens on (-1 for an in-process server). */
    public int port() {
        return server.getPort();
    }

    /**
     * Stops accepting calls, waits for the running ones until {@code deadline} has passed, then
     * cancels the rest (a dump ends with UNAVAILABLE) and closes the service.
     *
     * @return whether every call finished before the deadline
     */
    public boolean shutdown(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        server.shutdown();
        boolean clean = server.awaitTermination(deadline.toNanos(), TimeUnit.NANOSECONDS);
        if (!clean) {
            server.shutdownNow();
            server.awaitTermination(Math.max(0, end - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        }
        service.close();
        return clean;
    }
}
