package dev.pgcapture.bench;

import dev.pgcapture.core.Checkpoint;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Reports checkpoints in send order once their Pulsar sends and all earlier ones succeeded, as
 * the agent's sink does; the first failure stops reporting and is rethrown by {@link #awaitAll}.
 */
final class InOrderAcks {

    private record Pending(Checkpoint checkpoint, CompletableFuture<?> acknowledged) {
    }

    private final Consumer<Checkpoint> committed;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Throwable failure;

    InOrderAcks(Consumer<Checkpoint> committed) {
        this.committed = committed;
    }

    void track(Checkpoint checkpoint, CompletableFuture<?> acknowledged) {
        synchronized (this) {
            pending.addLast(new Pending(checkpoint, acknowledged));
        }
        acknowledged.whenComplete((ignored, error) -> drain());
    }

    synchronized void awaitAll(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (failure == null && !pending.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(pending.size() + " packs still unacknowledged after " + timeout);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        if (failure != null) {
            throw new IllegalStateException("a send failed: " + failure.getMessage(), failure);
        }
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
