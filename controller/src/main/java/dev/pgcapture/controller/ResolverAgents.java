package dev.pgcapture.controller;

import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.ClientSecurity;
import dev.pgcapture.core.grpc.GrpcChannels;
import java.util.Optional;

/** {@link AgentLookup#of}: the agents a resolver config names, over gRPC channels opened on first use. */
final class ResolverAgents implements AgentLookup {

    private final ResolverConfig config;
    private final String origin;
    private final GrpcChannels channels;
    private boolean closed;

    ResolverAgents(ResolverConfig config, String origin, ClientSecurity security) {
        this.config = config;
        this.channels = new GrpcChannels(security);
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
        return new Agent(address, channels.get(address));
    }

    @Override
    public synchronized void close() {
        closed = true;
        channels.close();
    }
}
