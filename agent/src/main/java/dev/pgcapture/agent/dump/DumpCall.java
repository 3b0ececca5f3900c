package dev.pgcapture.agent.dump;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One dump call as its worker thread sees it: flow control, cancellation and, for a
 * bidirectional call, the requests. gRPC's threads only record events here and wake the worker;
 * the worker is the only thread that writes to the response observer.
 *
 * <p>The worker sends only while {@link ServerCallStreamObserver#isReady()}, and otherwise waits
 * for the on-ready handler, so rows are produced as fast as the caller reads them. A cancel
 * (by the caller, or by {@link #abort} when the applier needs the table) runs the
 * {@linkplain #interruptWith interrupter}, which cancels the statement running on the replica,
 * and wakes the worker, which then rolls back and ends.
 */
final class DumpCall<T, R> {

    private final ServerCallStreamObserver<T> observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Queue<R> requests = new ConcurrentLinkedQueue<>();
    private long version; // guarded by lock: counts the events that may let the worker go on
    private volatile boolean clientCancelled;
    private volatile boolean halfClosed;
    private volatile Status abort;
    private volatile Runnable interrupter = () -> { };
    private volatile boolean waitingForReader;

    DumpCall(ServerCallStreamObserver<T> observer) {
        this.observer = observer;
        observer.setOnReadyHandler(this::signal);
        observer.setOnCancelHandler(() -> {
            clientCancelled = true;
            interrupt();
        });
    }

    /** The inbound side of a bidirectional call; requests are taken by {@link #nextRequest}. */
    StreamObserver<R> requestObserver() {
        return new StreamObserver<>() {
            @Override
            public void onNext(R request) {
                requests.add(request);
                signal();
            }

            @Override
            public void onError(Throwable t) {
                clientCancelled = true;
                interrupt();
            }

            @Override
            public void onCompleted() {
                halfClosed = true;
                signal();
            }
        };
    }

    /** What to run to stop the worker's current statement on the replica. */
    void interruptWith(Runnable interrupter) {
        this.interrupter = interrupter;
        if (stopStatus() != null) {
            interrupter.run();
        }
    }

    /** Ends the dump with {@code status} (the applier needs the table); wakes the worker. */
    void abort(Status status) {
        abort = status;
        interrupt();
    }

    /** Why the dump must stop, or null while it may go on. */
    Status stopStatus() {
        Status aborted = abort;
        if (aborted != null) {
            return aborted;
        }
        return clientCancelled ? Status.CANCELLED.withDescription("the caller cancelled the dump") : null;
    }

    void checkActive() throws DumpStopped {
        Status status = stopStatus();
        if (status != null) {
            throw new DumpStopped(status);
        }
    }

    /** Sends one response once the caller can take it. */
    void send(T response) throws DumpStopped, InterruptedException {
        while (true) {
            checkActive();
            long seen = version();
            if (observer.isReady()) {
                observer.onNext(response);
                return;
            }
            waitingForReader = true;
            try {
                awaitChange(seen, null);
            } finally {
                waitingForReader = false;
            }
        }
    }

    /** Whether the worker is waiting for the caller to read. */
    boolean waitingForReader() {
        return waitingForReader;
    }

    /** Asks for and returns the next request of a bidirectional call; null once the caller half-closed. */
    R nextRequest() throws DumpStopped, InterruptedException {
        observer.request(1);
        while (true) {
            checkActive();
            long seen = version();
            R request = requests.poll();
            if (request != null) {
                return request;
            }
            if (halfClosed) {
                return null;
            }
            awaitChange(seen, null);
        }
    }

    /** Waits up to {@code timeout} for an event (ready, request, cancel); returns early on one. */
    void pause(Duration timeout) throws DumpStopped, InterruptedException {
        checkActive();
        awaitChange(version(), timeout);
        checkActive();
    }

    void complete() {
        if (!clientCancelled) {
            observer.onCompleted();
        }
    }

    void fail(Status status) {
        if (!clientCancelled) {
            observer.onError(status.asRuntimeException());
        }
    }

    private long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange(long seen, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            if (timeout == null) {
                while (version == seen && stopStatus() == null) {
                    changed.await();
                }
            } else {
                long nanos = timeout.toNanos();
                while (version == seen && stopStatus() == null && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void interrupt() {
        try {
            interrupter.run();
        } finally {
            signal();
        }
    }

    private void signal() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
