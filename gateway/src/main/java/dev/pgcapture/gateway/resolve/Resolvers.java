package dev.pgcapture.gateway.resolve;

import dev.pgcapture.core.SourceResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds {@link SourceResolverProvider}s on the class path and makes the resolver a user named.
 */
public final class Resolvers {

    /** The built-in resolver: a JSON file keyed by consumer URI. */
    public static final String STATIC = "static";

    private Resolvers() {
    }

    /** Every provider on the class path of {@code loader}, by name. */
    public static Map<String, SourceResolverProvider> providers(ClassLoader loader) {
        Map<String, SourceResolverProvider> byName = new TreeMap<>();
        Map<String, List<String>> classes = new TreeMap<>();
        try {
            for (SourceResolverProvider provider : ServiceLoader.load(SourceResolverProvider.class, loader)) {
                byName.put(provider.name(), provider);
                classes.computeIfAbsent(provider.name(), name -> new ArrayList<>()).add(provider.getClass().getName());
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a resolver plug-in on the class path cannot be loaded: " + e.getMessage(), e);
        }
        classes.forEach((name, implementations) -> {
            if (implementations.size() > 1) {
                throw new IllegalStateException("resolver \"" + name + "\" is provided by more than one class on the class path: "
                        + String.join(", ", implementations) + "; remove all but one jar");
            }
        });
        return byName;
    }

    /** The names of the resolvers on the class path, sorted. */
    public static List<String> names() {
        return List.copyOf(providers(defaultLoader()).keySet());
    }

    /**
     * Makes the resolver called {@code name}.
     *
     * @param config its configuration file, if the user gave one
     * @throws IllegalArgumentException when no resolver has that name (the message lists those
     *     there are), or naming what is wrong in the configuration
     */
    public static SourceResolver load(String name, Optional<Path> config, SourceResolverProvider.Context context) throws Exception {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        Map<String, SourceResolverProvider> providers = providers(defaultLoader());
        SourceResolverProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown resolver \"" + name + "\"; available: " + String.join(", ", providers.keySet())
                    + " (a plug-in adds one with a jar on the class path that lists its " + SourceResolverProvider.class.getName()
                    + " in META-INF/services)");
        }
        return provider.create(config, context);
    }

    private static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Resolvers.class.getClassLoader();
    }
}
