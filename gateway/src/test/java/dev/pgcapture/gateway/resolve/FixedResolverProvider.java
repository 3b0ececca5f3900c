package dev.pgcapture.gateway.resolve;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.RequeueSource;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.SourceResolver;
import dev.pgcapture.core.UnknownUriException;
import java.nio.file.Path;
import java.util.Optional;

/** A plug-in as a user would write one, registered in this module's test META-INF/services. */
public final class FixedResolverProvider implements SourceResolverProvider {

    /** What {@link #create} was given. */
    record Fixed(Optional<Path> config, Context context) implements SourceResolver {

        @Override
        public RequeueSource source(String uri, DeliveryMode mode) throws UnknownUriException {
            throw new UnknownUriException(uri);
        }

        @Override
        public Optional<SourceDumper> dumper(String uri) {
            return Optional.of(context.agentDumpers().apply("agent-of-" + uri));
        }
    }

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public SourceResolver create(Optional<Path> config, Context context) {
        return new Fixed(config, context);
    }
}
