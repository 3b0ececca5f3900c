package dev.pgcapture.gateway.resolve;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.SourceResolver;
import dev.pgcapture.core.UnknownUriException;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.pulsar.PulsarSource;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pulsar.client.api.PulsarClientException;

/**
 * The resolver of a fixed configuration ({@link ResolverConfig}, pgcapture's JSON file): a URI's
 * changes come from its {@code PulsarSubscription} on {@code PulsarTopic} at {@code PulsarURL},
 * its dumps from the Agent service at {@code AgentURL}. A URI without {@code AgentURL} has
 * changes but no dumps: {@link #dumper} is empty for it.
 * URIs on the same {@code PulsarURL} share one Pulsar client. Thread-safe; closing it closes the
 * clients, and with them every source it opened.
 */
public final class StaticResolver implements SourceResolver, AutoCloseable {

    private final ResolverConfig config;
    private final PulsarSources sources;
    private final PulsarClients clients;
    private final Function<String, SourceDumper> agentDumpers;

    /**
     * @param config the URIs and where their changes and dumps come from
     * @param sources opens the subscriptions
     * @param clients the Pulsar clients, one per {@code PulsarURL}; owned by this resolver from
     *     now on
     * @param agentDumpers makes a dumper for an {@code AgentURL} ({@code host:port})
     */
    public StaticResolver(ResolverConfig config, PulsarSources sources, PulsarClients clients, Function<String, SourceDumper> agentDumpers) {
        this.config = Objects.requireNonNull(config, "config");
        this.sources = Objects.requireNonNull(sources, "sources");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.agentDumpers = Objects.requireNonNull(agentDumpers, "agentDumpers");
    }

    /** The configuration it resolves. */
    public ResolverConfig config() {
        return config;
    }

    /**
     * A new subscription on the URI's topic.
     *
     * @throws UnknownUriException when the configuration has no such URI
     * @throws IllegalStateException when the subscription is consumed in the other mode
     * @throws PulsarClientException when Pulsar cannot be reached or refuses otherwise
     */
    @Override
    public PulsarSource source(String uri, DeliveryMode mode) throws UnknownUriException, PulsarClientException {
        ResolverConfig.Entry entry = entry(uri);
        return sources.open(clients.client(entry.pulsarUrl()), entry.pulsarTopic(), entry.pulsarSubscription(), mode);
    }

    /**
     * A new dumper reading from the URI's Agent service; empty when the URI has no
     * {@code AgentURL} (its changes are served, dumps are not).
     *
     * @throws UnknownUriException when the configuration has no such URI
     */
    @Override
    public Optional<SourceDumper> dumper(String uri) throws UnknownUriException {
        return entry(uri).agentUrl().map(agentDumpers);
    }

    private ResolverConfig.Entry entry(String uri) throws UnknownUriException {
        Objects.requireNonNull(uri, "uri");
        return config.entry(uri).orElseThrow(() -> new UnknownUriException(uri));
    }

    /** Closes the Pulsar clients; sources still open end with them. */
    @Override
    public void close() {
        clients.close();
    }
}
