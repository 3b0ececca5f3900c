package dev.pgcapture.agent.capture;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Decides how far a replication slot may be confirmed: never past a transaction that the sink
 * has not made durable whole, and never backwards.
 *
 * <p>The reading thread reports every transaction it passes on ({@link #emitted}, with the
 * commit's end LSN) and every transaction it is inside of ({@link #open}); the sink's
 * acknowledgements arrive through {@link #acknowledged}. A transaction is released when the
 * checkpoint of its Commit is acknowledged; the slot may then be confirmed up to its end LSN,
 * so the server does not send it again. When nothing is open or waiting, the slot may also
 * follow the server's WAL position from keepalives ({@link #idle}): that is how an idle
 * database, or one that writes only unpublished tables, lets its slot advance.
 *
 * <p>Not thread-safe except {@link #acknowledged}, which any thread may call.
 */
final class FlushTracker {

    /** A transaction passed on to the sink and not yet acknowledged whole. */
    private record Pending(Checkpoint commit, Lsn end) {
    }

    private final Deque<Pending> pending = new ArrayDeque<>();
    private volatile Checkpoint acknowledged = Checkpoint.ZERO;
    private boolean inTransaction;
    private Lsn confirmed;
    /** The position last returned by {@link #toConfirm}. */
    private Lsn reported;

    /** A tracker for a slot whose confirmed position is {@code confirmed}. */
    FlushTracker(Lsn confirmed) {
        this.confirmed = confirmed;
    }

    /** A Begin was read: until {@link #emitted} or {@link #skipped}, the slot is not idle. */
    void open() {
        inTransaction = true;
    }

    /** The transaction whose Commit carries {@code commit} was passed on to the sink whole. */
    void emitted(Checkpoint commit, Lsn end) {
        inTransaction = false;
        pending.addLast(new Pending(commit, end));
    }

    /** The transaction just read was dropped (the sink already holds it): nothing to wait for. */
    void skipped(Lsn end) {
        inTransaction = false;
        if (pending.isEmpty()) {
            advance(end);
        }
    }

    /** Everything up to and including {@code checkpoint} is durable in the sink. Any thread. */
    void acknowledged(Checkpoint checkpoint) {
        synchronized (this) {
            if (checkpoint.isAfter(acknowledged)) {
                acknowledged = checkpoint;
            }
        }
    }

    /**
     * The reader has nothing more to read right now and the server reported {@code walEnd}:
     * when no transaction is open or waiting, everything before it has been handled.
     */
    void idle(Lsn walEnd) {
        release();
        if (!inTransaction && pending.isEmpty()) {
            advance(walEnd);
        }
    }

    /**
     * The position to confirm to the server, after releasing every acknowledged transaction;
     * empty when it has not moved since the last call that returned one.
     */
    Optional<Lsn> toConfirm() {
        release();
        return Optional.ofNullable(unreported());
    }

    /** The confirmed position so far. */
    Lsn confirmed() {
        return confirmed;
    }

    /** Transactions passed on and not yet acknowledged whole. */
    int pendingTransactions() {
        return pending.size();
    }

    private Lsn unreported() {
        if (confirmed.equals(reported)) {
            return null;
        }
        reported = confirmed;
        return confirmed;
    }

    private void release() {
        Checkpoint durable = acknowledged;
        while (!pending.isEmpty() && !pending.peekFirst().commit().isAfter(durable)) {
            advance(pending.removeFirst().end());
        }
    }

    private void advance(Lsn lsn) {
        if (lsn.isAfter(confirmed)) {
            confirmed = lsn;
        }
    }
}
