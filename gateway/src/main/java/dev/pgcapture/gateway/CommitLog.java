package dev.pgcapture.gateway;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Source;
import java.util.ArrayDeque;

/**
 * Releases source positions to the source as they are done with: acknowledged by the client,
 * acknowledged by the gateway itself (Begin, Commit, KeepAlive, filtered changes), or given up.
 *
 * <p>{@link Source#commit} releases everything up to a checkpoint, so in exact mode positions
 * are released in stream order, each once every position before it is done: a Commit read
 * after a change the client has not acknowledged yet waits for it. In shared mode the
 * subscription acknowledges messages one by one, out of order (a requeued change comes back
 * later), and each position is released as soon as it is done.
 */
final class CommitLog {

    /** Bytes one pending position is counted for, besides its data. */
    private static final int SLOT_OVERHEAD = 64;

    /** One position read from the source. */
    static final class Slot {
        private final Checkpoint checkpoint;
        private boolean done;
        private boolean release = true;

        private Slot(Checkpoint checkpoint) {
            this.checkpoint = checkpoint;
        }
    }

    private final Source source;
    private final boolean ordered;
    private final ArrayDeque<Slot> pending = new ArrayDeque<>();
    private long bytes;

    CommitLog(Source source, boolean ordered) {
        this.source = source;
        this.ordered = ordered;
    }

    /** Records a position just read; it must be {@link #done} or {@link #skipped} later. */
    Slot read(Checkpoint checkpoint) {
        Slot slot = new Slot(checkpoint);
        if (ordered) {
            pending.add(slot);
            bytes += size(slot);
        }
        return slot;
    }

    /** The position is done with: release it (in order, in exact mode). */
    void done(Slot slot) {
        if (!ordered) {
            source.commit(slot.checkpoint);
            return;
        }
        slot.done = true;
        flush();
    }

    /** The position was handed over otherwise (a dead-letter topic): never release it here. */
    void skipped(Slot slot) {
        if (ordered) {
            slot.done = true;
            slot.release = false;
            flush();
        }
    }

    /** A position read and done with at once. */
    void selfAck(Checkpoint checkpoint) {
        done(read(checkpoint));
    }

    /** How many positions wait to be released. */
    int pending() {
        return pending.size();
    }

    /** The memory the waiting positions take, roughly. */
    long bytes() {
        return bytes;
    }

    private void flush() {
        while (!pending.isEmpty() && pending.peek().done) {
            Slot slot = pending.poll();
            bytes -= size(slot);
            if (slot.release) {
                source.commit(slot.checkpoint);
            }
        }
    }

    private static long size(Slot slot) {
        return SLOT_OVERHEAD + slot.checkpoint.data().size();
    }
}
