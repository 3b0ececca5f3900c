package dev.pgcapture.gateway;

import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.proto.DumpInfoResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What other threads hand to a stream's session thread: the client's requests, the
 * controller's chunks, and wake-ups (the client can take more, the call was cancelled). gRPC's
 * threads only record events here; the session thread alone acts on them.
 */
final class Inbox {

    /** Something that happened on another thread. */
    sealed interface Event {
    }

    /** A request of the client: the init, then acknowledgements. */
    record Request(CaptureRequest request) implements Event {
    }

    /** The client half-closed its side: no more acknowledgements will come. */
    record HalfClosed() implements Event {
    }

    /** The controller handed a chunk, on the controller stream numbered {@code generation}. */
    record Chunk(long generation, DumpInfoResponse chunk) implements Event {
    }

    /** The controller stream numbered {@code generation} ended. */
    record PullEnded(long generation, Status status) implements Event {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private boolean signalled;
    private volatile Status stop;

    void add(Event event) {
        lock.lock();
        try {
            events.add(event);
            signalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the session thread without an event: the client can take more messages. */
    void signal() {
        lock.lock();
        try {
            signalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Asks the session to end with {@code status} (its first stop wins) and wakes it. */
    void stop(Status status) {
        lock.lock();
        try {
            if (stop == null) {
                stop = status;
            }
            signalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Why the session must end, or null while it may go on. */
    Status stopStatus() {
        return stop;
    }

    /** The next event, or null when none is waiting. */
    Event poll() {
        lock.lock();
        try {
            return events.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until something is added or signalled, at most {@code timeout}. */
    void await(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!signalled && events.isEmpty() && stop == null && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the next event, at most {@code timeout}; null when none came. */
    Event take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (events.isEmpty() && stop == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
            return events.poll();
        } finally {
            lock.unlock();
        }
    }
}
