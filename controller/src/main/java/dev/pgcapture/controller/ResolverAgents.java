package dev.pgcapture.controller;

import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.GrpcServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link AgentLookup#of}: the agents a resolver config names, over plaintext gRPC channels opened on first use. */
final class ResolverAgents implements AgentLookup {

    private final ResolverConfig config;
    private final String origin;
    private final Map<String, ManagedChannel> channels = new HashMap<>();
    private boolean closed;

    ResolverAgents(ResolverConfig config, String origin) {
        this.config = config;
        this.origin = origin.isEmpty() ? "the resolver config" : "the resolver config " + origin;
    }

    @Override
    public synchronized Route find(String uri) {
        Optional<ResolverConfig.Entry> entry = config.entry(uri);
        if (entry.isEmpty()) {
            return new NoAgent("URI " + uri + " is not in " + origin);
        }
        if (entry.get().agentUrl().isEmpty()) {
            return new NoAgent("URI " + uri + " has no AgentURL in " + origin + ", so it has no replica to dump");
        }
        if (closed) {
            return new NoAgent("the controller is shutting down");
        }
        String address = entry.get().agentUrl().get();
        ManagedChannel channel = channels.computeIfAbsent(address, target -> ManagedChannelBuilder.forTarget(target)
                .usePlaintext()
                .maxInboundMessageSize(GrpcServer.DEFAULT_MAX_MESSAGE_BYTES)
                .build());
        return new Agent(address, channel);
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (ManagedChannel channel : channels.values()) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : channels.values()) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }
}
