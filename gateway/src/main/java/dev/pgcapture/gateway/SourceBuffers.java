package dev.pgcapture.gateway;

import dev.pgcapture.core.Source;
import dev.pgcapture.gateway.pulsar.PulsarSource;

/** What a source holds in memory by its own account, for the sources that tell. */
final class SourceBuffers {

    private SourceBuffers() {
    }

    /** The bytes {@code source} says it buffers (a {@link PulsarSource}'s prefetched messages and ids); 0 for a source that does not tell. */
    static long bytes(Source source) {
        return source instanceof PulsarSource pulsar ? pulsar.bufferedBytes() : 0;
    }
}
