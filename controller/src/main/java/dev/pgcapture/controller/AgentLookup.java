package dev.pgcapture.controller;

import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.ClientSecurity;
import io.grpc.Channel;
import java.util.Objects;

/**
 * Finds the {@code Agent} service of a URI's replica, which the controller asks for table sizes
 * ({@code ScheduleTables}) and for whether the tables of a {@code Schedule} exist.
 */
public interface AgentLookup extends AutoCloseable {

    /** Where a URI's agent is, or why the controller cannot ask one. */
    sealed interface Route {
    }

    /** The URI's agent: {@code address} names it in messages. */
    record Agent(String address, Channel channel) implements Route {
        public Agent {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(channel, "channel");
        }
    }

    /** No agent for the URI; {@code reason} is a sentence saying why, naming the URI. */
    record NoAgent(String reason) implements Route {
        public NoAgent {
            Objects.requireNonNull(reason, "reason");
        }
    }

    Route find(String uri);

    /** Closes any channel the lookup opened. */
    @Override
    default void close() {
    }

    /** A controller without a resolver config: no URI has an agent. */
    static AgentLookup none() {
        return uri -> new NoAgent("the controller has no resolver config (--resolver-config) to find the agent of URI " + uri);
    }

    /**
     * The agents at the {@code AgentURL}s of a resolver config (plaintext gRPC), one channel per
     * address, opened when first needed and closed with the lookup.
     *
     * @param origin names the config in messages (its file; empty when it has no name)
     */
    static AgentLookup of(ResolverConfig config, String origin) {
        return of(config, origin, ClientSecurity.plaintext());
    }

    /** As {@link #of(ResolverConfig, String)}, with channels secured by {@code security} (TLS, client certificate, token). */
    static AgentLookup of(ResolverConfig config, String origin, ClientSecurity security) {
        return new ResolverAgents(config, origin, security);
    }
}
