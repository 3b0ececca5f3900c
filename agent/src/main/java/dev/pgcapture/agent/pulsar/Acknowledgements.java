package dev.pgcapture.agent.pulsar;

import dev.pgcapture.core.Checkpoint;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Turns acknowledgements that may complete in any order into checkpoints reported in stream
 * order: a checkpoint is reported only once its own send and every send tracked before it have
 * succeeded. The first failure stops all reporting for good and is kept for
 * {@link #throwIfFailed}. Reports happen under this object's lock, one at a time.
 */
public final class Acknowledgements {

    private record Pending(Checkpoint checkpoint, CompletableFuture<?> acknowledged) {
    }

    private final Consumer<Checkpoint> committed;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Throwable failure;

    /** Reports to {@code committed} each checkpoint up to which everything is acknowledged. */
    public Acknowledgements(Consumer<Checkpoint> committed) {
        this.committed = Objects.requireNonNull(committed, "committed");
    }

    /** Tracks a message; {@code acknowledged} completes when all of its Pulsar messages are. */
    public void track(Checkpoint checkpoint, CompletableFuture<?> acknowledged) {
        synchronized (this) {
            pending.addLast(new Pending(checkpoint, acknowledged));
        }
        acknowledged.whenComplete((ignored, error) -> drain());
    }

    /** @throws SinkFailedException with the first send failure, if any */
    public synchronized void throwIfFailed(String topic) throws SinkFailedException {
        if (failure != null) {
            throw new SinkFailedException("publishing to topic " + topic + " failed: " + failure.getMessage(), failure);
        }
    }

    /**
     * Waits until every tracked message is acknowledged and reported.
     *
     * @throws SinkFailedException when a send failed
     * @throws TimeoutException when messages are still unacknowledged after {@code timeout}
     */
    public synchronized void awaitAll(String topic, Duration timeout) throws SinkFailedException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            throwIfFailed(topic);
            if (pending.isEmpty()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(pending.size() + " messages to topic " + topic + " are still unacknowledged after " + timeout
                        + "; the first is " + pending.peekFirst().checkpoint());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** How many messages wait for their acknowledgement. */
    synchronized int pendingCount() {
        return pending.size();
    }

    private synchronized void drain() {
        Checkpoint last = null;
        while (failure == null && !pending.isEmpty() && pending.peekFirst().acknowledged().isDone()) {
            Pending head = pending.pollFirst();
            if (head.acknowledged().isCompletedExceptionally()) {
                failure = head.acknowledged().exceptionNow();
            } else {
                last = head.checkpoint();
            }
        }
        if (last != null) {
            committed.accept(last);
        }
        notifyAll();
    }
}
