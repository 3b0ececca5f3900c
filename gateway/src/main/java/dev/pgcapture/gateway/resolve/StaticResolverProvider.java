package dev.pgcapture.gateway.resolve;

import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.SourceResolver;
import java.nio.file.Path;
import java.util.Optional;

/** Registers {@link StaticResolver} as the resolver named {@value Resolvers#STATIC}. */
public final class StaticResolverProvider implements SourceResolverProvider {

    @Override
    public String name() {
        return Resolvers.STATIC;
    }

    /**
     * @throws IllegalArgumentException without a config file, or naming what is wrong in it
     */
    @Override
    public SourceResolver create(Optional<Path> config, Context context) throws Exception {
        Path file = config.orElseThrow(() -> new IllegalArgumentException("the " + Resolvers.STATIC
                + " resolver needs a config file: a JSON object mapping each consumer URI to its PulsarURL, PulsarTopic,"
                + " PulsarSubscription and (for dumps) AgentURL"));
        return new StaticResolver(ResolverConfig.read(file), context.pulsarSources(), context.pulsarClients().get(), context.agentDumpers());
    }
}
