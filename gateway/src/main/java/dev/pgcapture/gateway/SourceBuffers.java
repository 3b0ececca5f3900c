package dev.pgcapture.gateway;

import dev.pgcapture.core.Source;

/** What a source holds in memory by its own account, for the sources that tell. */
final class SourceBuffers {

    private SourceBuffers() {
    }

    /** The bytes {@code source} says it buffers; 0 for a source that does not tell. */
    static long bytes(Source source) {
        return 0;
    }
}
