package dev.pgcapture.gateway.resolve;

import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.SourceResolver;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.pulsar.PulsarSourceSettings;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A kind of {@link SourceResolver} the gateway can be started with, found with
 * {@link java.util.ServiceLoader}: a jar on the class path that lists its implementation in
 * {@code META-INF/services/dev.pgcapture.gateway.resolve.SourceResolverProvider} adds one, and
 * the user selects it by {@link #name()} ({@code --resolver NAME --resolver-config FILE}). The
 * built-in one is {@value Resolvers#STATIC}, the JSON file of {@link dev.pgcapture.core.ResolverConfig}.
 *
 * <p>Implementations need a public no-argument constructor. A resolver that holds resources
 * implements {@link AutoCloseable}; the gateway closes it when it stops.
 */
public interface SourceResolverProvider {

    /** The name users select this resolver by: lower-case letters, digits and '-'. */
    String name();

    /**
     * Makes a resolver.
     *
     * @param config the file the user named, if any; its format is the provider's
     * @param context what the gateway offers every resolver
     * @throws IllegalArgumentException naming what is wrong in the configuration
     */
    SourceResolver create(Optional<Path> config, Context context) throws Exception;

    /**
     * What the gateway offers a resolver it makes.
     *
     * @param pulsarSources opens Pulsar subscriptions as change sources; shared by every resolver
     *     of the process, so a subscription is consumed in one mode at a time
     * @param pulsarClients makes the Pulsar clients for a resolver that has none yet: one per
     *     service URL; the resolver closes them
     * @param agentDumpers makes a dumper reading from the Agent service at a {@code host:port}
     */
    record Context(PulsarSources pulsarSources, Supplier<PulsarClients> pulsarClients,
            Function<String, SourceDumper> agentDumpers) {

        public Context {
            Objects.requireNonNull(pulsarSources, "pulsarSources");
            Objects.requireNonNull(pulsarClients, "pulsarClients");
            Objects.requireNonNull(agentDumpers, "agentDumpers");
        }

        /**
         * Default Pulsar settings ({@link PulsarSourceSettings#defaults()},
         * {@link PulsarClients#withDefaults()}, the system clock) and these dumpers.
         */
        public static Context withDefaults(Function<String, SourceDumper> agentDumpers) {
            return new Context(new PulsarSources(PulsarSourceSettings.defaults(), Clock.systemUTC()), PulsarClients::withDefaults, agentDumpers);
        }
    }
}
