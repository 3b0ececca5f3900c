package dev.pgcapture.core;

import java.time.Duration;

/**
 * Where changes come from: a PostgreSQL replication slot, a Pulsar subscription.
 *
 * <p>A source is pulled: {@link #next} hands out messages one at a time in stream order, so a
 * slow reader slows the source and nothing piles up in memory. A reader reports what it has
 * made durable with {@link #commit}; the source may then release everything up to that
 * checkpoint (advance the slot, acknowledge the subscription) and must never release more.
 * After a restart, a source resumes after the last committed checkpoint, so delivery is
 * at-least-once and a reader drops what it has already applied.
 *
 * <p>One thread reads a source; {@link #commit} may be called from another.
 */
public interface Source extends AutoCloseable {

    /**
     * Starts reading after {@code after} ({@link Checkpoint#ZERO} for wherever the source
     * stands). Called once, before {@link #next}.
     */
    void capture(Checkpoint after) throws Exception;

    /**
     * The next message, waiting at most {@code timeout}; {@code null} if none arrived in time.
     *
     * @throws Exception when the source has failed; it stays failed and must be closed
     */
    SourceMessage next(Duration timeout) throws Exception;

    /** Everything up to and including {@code checkpoint} is durable downstream. */
    void commit(Checkpoint checkpoint);

    /** Stops reading and releases the source's resources; committed checkpoints are kept. */
    @Override
    void close();
}
