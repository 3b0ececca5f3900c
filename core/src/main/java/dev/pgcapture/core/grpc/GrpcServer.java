package dev.pgcapture.core.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Serves gRPC services (the agent's, the controller's, the gateway's) on a server built from
 * the given builder: a Netty builder in production ({@link #on}), an in-process one in tests.
 * See {@link ServerSecurity} for TLS and tokens.
 * {@link #shutdown} lets calls finish until a deadline, cancels the rest, then closes every
 * service that is {@link AutoCloseable}.
 */
public final class GrpcServer {

    /**
     * The largest message a server accepts, and a client of ours accepts: 256 MiB, so that one
     * row far above a capture topic's 4 MiB fragments still travels as one gRPC message.
     * (gRPC's default of 4 MiB stays in force for clients that do not raise it, pgcapture's
     * among them: a row larger than that fails their stream with RESOURCE_EXHAUSTED.)
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private final Server server;
    private final List<BindableService> services;

    public GrpcServer(ServerBuilder<?> builder, BindableService... services) {
        this.services = List.of(services);
        for (BindableService service : this.services) {
            builder.addService(service);
        }
        this.server = builder.maxInboundMessageSize(DEFAULT_MAX_MESSAGE_BYTES).build();
    }

    /** A server for {@code services} on a TCP address (plaintext), not yet started. */
    public static GrpcServer on(InetSocketAddress address, BindableService... services) {
        return on(address, ServerSecurity.plaintext(), services);
    }

    /**
     * A server for {@code services} on a TCP address, protected by {@code security} (TLS, client
     * certificates, bearer tokens), not yet started.
     *
     * @throws IllegalArgumentException when the TLS certificate or key cannot be used (not PEM, the key does
     *     not match the certificate, ...)
     */
    public static GrpcServer on(InetSocketAddress address, ServerSecurity security, BindableService... services) {
        NettyServerBuilder builder;
        try {
            builder = NettyServerBuilder.forAddress(address, security.credentials());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate and key: " + e.getMessage(), e);
        }
        security.interceptors().forEach(builder::intercept);
        return new GrpcServer(builder, services);
    }

    public GrpcServer start() throws IOException {
        server.start();
        return this;
    }

    /** The port the server listens on (-1 for an in-process server). */
    public int port() {
        return server.getPort();
    }

    /**
     * Stops accepting calls, waits for the running ones until {@code deadline} has passed, then
     * cancels the rest (a stream ends with UNAVAILABLE) and closes the services.
     *
     * @return whether every call finished before the deadline
     */
    public boolean shutdown(Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        server.shutdown();
        boolean clean = server.awaitTermination(deadline.toNanos(), TimeUnit.NANOSECONDS);
        if (!clean) {
            server.shutdownNow();
            server.awaitTermination(Math.max(0, end - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        }
        for (BindableService service : services) {
            if (service instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        return clean;
    }
}
