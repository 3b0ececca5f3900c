package dev.pgcapture.core.grpc;

import io.grpc.ManagedChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * gRPC channels to other pgcapture services ({@code host:port} targets such as a resolver file's
 * {@code AgentURL}), one per target, all with the same {@link ClientSecurity}, opened on first
 * use and closed together.
 * They accept messages as large as our servers do ({@link GrpcServer#DEFAULT_MAX_MESSAGE_BYTES}).
 */
public final class GrpcChannels implements AutoCloseable {

    private final Map<String, ManagedChannel> channels = new HashMap<>();
    private final ClientSecurity security;
    private boolean closed;

    /** Plaintext channels. */
    public GrpcChannels() {
        this(ClientSecurity.plaintext());
    }

    /** Channels with {@code security} (TLS, client certificate, bearer token). */
    public GrpcChannels(ClientSecurity security) {
        this.security = Objects.requireNonNull(security, "security");
    }

    /**
     * The channel to {@code target}, opened now if it is the first use.
     *
     * @throws IllegalStateException after {@link #close}
     */
    public synchronized ManagedChannel get(String target) {
        if (closed) {
            throw new IllegalStateException("the channels are closed");
        }
        return channels.computeIfAbsent(target, security::open);
    }

    /** A new plaintext channel to {@code target}, owned by the caller. */
    public static ManagedChannel open(String target) {
        return ClientSecurity.plaintext().open(target);
    }

    /** Shuts {@code channel} down, waiting up to 5 s for its calls to end. */
    public static void shutdown(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Shuts every channel down; {@link #get} refuses from now on. */
    @Override
    public synchronized void close() {
        closed = true;
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.values().forEach(GrpcChannels::shutdown);
        channels.clear();
    }
}
