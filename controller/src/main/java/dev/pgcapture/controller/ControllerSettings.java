package dev.pgcapture.controller;

import dev.pgcapture.core.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How a controller paces its work.
 *
 * @param backoff how long a requeued chunk (shared) or table (exact) waits before it is handed out again
 * @param defaultPagesPerChunk the chunk size of {@code ScheduleTables} when the request gives none
 * @param agentTimeout how long an agent's {@code TableInfo} may take
 * @param storeLockWait how long to wait at start for the store's lock, which the session of a
 *     controller just killed holds until PostgreSQL notices it is gone
 */
public record ControllerSettings(Backoff backoff, int defaultPagesPerChunk, Duration agentTimeout, Duration storeLockWait) {

    /**
     * 1,000 pages: 8 MB of heap at PostgreSQL's 8 kB pages, some 10,000 to 100,000 rows of a
     * typical table. Small enough that a requeued or redone chunk costs seconds, not minutes, and
     * that a gateway holds little of it at once; large enough that the per-chunk costs (a store
     * write to hand out, one to acknowledge, one agent round trip) stay far below the time to read
     * and send 8 MB.
     */
    public static final int DEFAULT_PAGES_PER_CHUNK = 1000;

    public ControllerSettings {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(agentTimeout, "agentTimeout");
        Objects.requireNonNull(storeLockWait, "storeLockWait");
        if (defaultPagesPerChunk < 1) {
            throw new IllegalArgumentException("default pages per chunk must be at least 1, was " + defaultPagesPerChunk);
        }
        if (agentTimeout.isNegative() || agentTimeout.isZero()) {
            throw new IllegalArgumentException("agent timeout must be positive, was " + agentTimeout);
        }
    }

    /** Backoff 1 s doubling up to 1 min, 1,000 pages per chunk, 60 s for an agent to answer, 10 s for the store's lock. */
    public static ControllerSettings defaults() {
        return new ControllerSettings(new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), DEFAULT_PAGES_PER_CHUNK, Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    public ControllerSettings withBackoff(Backoff newBackoff) {
        return new ControllerSettings(newBackoff, defaultPagesPerChunk, agentTimeout, storeLockWait);
    }

    public ControllerSettings withStoreLockWait(Duration wait) {
        return new ControllerSettings(backoff, defaultPagesPerChunk, agentTimeout, wait);
    }
}
