package dev.pgcapture.controller;

import java.time.Instant;
import java.util.Objects;

/**
 * One chunk of a schedule as the scheduler and its store know it. Immutable: a transition is a
 * new value, written to the store before it replaces the old one in memory.
 *
 * @param seq the chunk's index in its schedule, in the order it was scheduled
 * @param position its place in the queue (lower first); a requeued chunk gets a position before every other
 * @param retries how often it was requeued (by the client or by a disconnect)
 * @param notBefore when it may be handed out again after a requeue; {@code null}: at once
 * @param rows the rows the client reported for it when it acknowledged it
 */
record ChunkState(int seq, DumpChunk chunk, State state, long position, int retries, Instant notBefore, long rows) {

    /** Where a chunk is in its life. */
    enum State {
        /** Waiting to be handed out (ready, or backing off until {@code notBefore}). */
        PENDING,
        /** Handed out to a client, not answered yet. */
        IN_FLIGHT,
        /** Acknowledged within an exact-mode table lease that has not completed: provisional. */
        ACKED,
        /** Acknowledged for good: never handed out again. */
        DONE
    }

    ChunkState {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(state, "state");
    }

    /** A chunk newly scheduled at {@code seq}. */
    static ChunkState scheduled(int seq, DumpChunk chunk) {
        return new ChunkState(seq, chunk, State.PENDING, seq, 0, null, 0);
    }

    ChunkState withState(State newState) {
        return new ChunkState(seq, chunk, newState, position, retries, notBefore, rows);
    }

    ChunkState acknowledged(State newState, long ackedRows) {
        return new ChunkState(seq, chunk, newState, position, retries, notBefore, ackedRows);
    }

    /** Back to pending at {@code newPosition}, with {@code newRetries} and not before {@code at}; its rows forgotten. */
    ChunkState requeued(long newPosition, int newRetries, Instant at) {
        return new ChunkState(seq, chunk, State.PENDING, newPosition, newRetries, at, 0);
    }

    /** Whether it may be handed out at {@code now} (pending, and not backing off). */
    boolean readyAt(Instant now) {
        return state == State.PENDING && (notBefore == null || !notBefore.isAfter(now));
    }
}
