package dev.pgcapture.gateway;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.RequeueSource;
import dev.pgcapture.core.SourceMessage;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A change stream held in memory, recording what the gateway does with it: every read, commit
 * and requeue. Its head is the last message offered unless a test sets one.
 */
final class FakeSource implements RequeueSource {

    record Requeue(Checkpoint checkpoint, String reason) {
    }

    private final LinkedBlockingQueue<SourceMessage> queue = new LinkedBlockingQueue<>();
    final List<Checkpoint> commits = new CopyOnWriteArrayList<>();
    final List<Requeue> requeues = new CopyOnWriteArrayList<>();
    final AtomicInteger reads = new AtomicInteger();
    volatile boolean active = true;
    volatile boolean closed;
    volatile Checkpoint capturedAfter;
    private volatile Checkpoint lastOffered;
    private volatile Optional<Checkpoint> head;

    void offer(Collection<SourceMessage> messages) {
        for (SourceMessage message : messages) {
            queue.add(message);
            lastOffered = message.checkpoint();
        }
    }

    void offer(SourceMessage message) {
        offer(List.of(message));
    }

    /** Makes {@link #head} return this instead of the last message offered. */
    void head(Optional<Checkpoint> head) {
        this.head = head;
    }

    /** The checkpoints committed, with their data left out (the order is what tests check). */
    List<Checkpoint> committedPositions() {
        return commits.stream().map(c -> Checkpoint.of(c.lsn(), c.seq())).toList();
    }

    @Override
    public void capture(Checkpoint after) {
        capturedAfter = after;
    }

    @Override
    public SourceMessage next(Duration timeout) throws InterruptedException {
        reads.incrementAndGet();
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        commits.add(checkpoint);
    }

    @Override
    public void requeue(Checkpoint checkpoint, String reason) {
        requeues.add(new Requeue(checkpoint, reason));
    }

    @Override
    public boolean active() {
        return active;
    }

    @Override
    public Optional<Checkpoint> head() {
        Optional<Checkpoint> set = head;
        if (set != null) {
            return set;
        }
        return Optional.ofNullable(lastOffered);
    }

    @Override
    public void close() {
        closed = true;
    }
}
