package dev.pgcapture.gateway.dump;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One call to the agent as its reader sees it: gRPC's threads queue what arrives (headers,
 * responses, the end) and wake the reader, which takes them in order. Nothing arrives that the
 * reader did not {@linkplain #request ask for}, so the queue holds at most as many responses as
 * are requested and not yet taken.
 *
 * <p>{@link #cancel} may be called from any thread: it cancels the call through its own
 * {@link Context} (a {@code ClientCall} itself may not be cancelled concurrently with a send) and
 * makes a waiting or later {@link #take} throw {@link CancellationException} at once, without
 * waiting for gRPC to report the end. Sending and half-closing are serialized.
 */
final class AgentCall<Q, A> extends ClientCall.Listener<A> {

    /** What the reader takes from the call. */
    sealed interface Event<A> permits Response, End {
    }

    /** One response. */
    record Response<A>(A value) implements Event<A> {
    }

    /** The call ended with {@code status} (OK: completed); returned again by every later take. */
    record End<A>(Status status, Metadata trailers) implements Event<A> {
    }

    private final Context.CancellableContext context;
    private final Consumer<AgentCall<?, ?>> onEnd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<A> responses = new ArrayDeque<>(); // guarded by lock
    private Metadata headers; // guarded by lock
    private End<A> end; // guarded by lock
    private String cancelled; // guarded by lock: why the call was cancelled, or null
    private volatile ClientCall<Q, A> call;
    private boolean halfClosed; // guarded by this

    private AgentCall(Consumer<AgentCall<?, ?>> onEnd) {
        // A context of its own, forked from the root: the call must not inherit the deadline or
        // the cancellation of whatever server call the caller runs in.
        this.context = Context.ROOT.withCancellation();
        this.onEnd = onEnd;
    }

    /**
     * A call not started yet, so that the caller can register it before any callback can run.
     *
     * @param onEnd given this call once it has ended, on a gRPC thread
     */
    static <Q, A> AgentCall<Q, A> create(Consumer<AgentCall<?, ?>> onEnd) {
        return new AgentCall<>(Objects.requireNonNull(onEnd, "onEnd"));
    }

    /** Starts the call on {@code channel} and asks for the first {@code responses}. */
    void start(Channel channel, MethodDescriptor<Q, A> method, CallOptions options, int responses) {
        context.addListener(ctx -> {
            Throwable cause = ctx.cancellationCause();
            markCancelled(cause == null || cause.getMessage() == null ? "the call was cancelled" : cause.getMessage());
        }, Runnable::run);
        Context previous = context.attach();
        try {
            ClientCall<Q, A> started = channel.newCall(method, options);
            synchronized (this) {
                call = started;
            }
            started.start(this, new Metadata());
            if (responses > 0) {
                started.request(responses);
            }
        } finally {
            context.detach(previous);
        }
    }

    /** Sends one request. */
    synchronized void send(Q request) {
        if (halfClosed) {
            throw new IllegalStateException("the call to the agent was already half-closed");
        }
        call.sendMessage(request);
    }

    /** Tells the agent that no more requests follow; again: nothing. */
    synchronized void halfClose() {
        if (!halfClosed) {
            halfClosed = true;
            call.halfClose();
        }
    }

    /** Allows the agent to send {@code responses} more. Any thread. */
    void request(int responses) {
        call.request(responses);
    }

    /** Cancels the call; from now on {@link #take} and {@link #awaitHeaders} throw {@link CancellationException}. Any thread. */
    void cancel(String reason) {
        markCancelled(reason);
        context.cancel(new CancellationException(reason));
    }

    /**
     * The next response, or how the call ended, waiting for either.
     *
     * @throws CancellationException once the call was cancelled, even with responses still queued
     */
    Event<A> take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                checkNotCancelled();
                A response = responses.poll();
                if (response != null) {
                    return new Response<>(response);
                }
                if (end != null) {
                    return end;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the response headers; null when the call ended without any (a response with no
     * messages may carry everything in its trailers: see {@link #end}).
     */
    Metadata awaitHeaders() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                checkNotCancelled();
                if (headers != null) {
                    return headers;
                }
                if (end != null) {
                    return null;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** How the call ended, or null while it runs. */
    End<A> end() {
        lock.lock();
        try {
            return end;
        } finally {
            lock.unlock();
        }
    }

    /** The responses that arrived and were not taken yet. */
    int buffered() {
        lock.lock();
        try {
            return responses.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onHeaders(Metadata received) {
        lock.lock();
        try {
            headers = received;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onMessage(A message) {
        lock.lock();
        try {
            responses.add(message);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        lock.lock();
        try {
            end = new End<>(status, trailers);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onEnd.accept(this);
    }

    private void markCancelled(String reason) {
        lock.lock();
        try {
            if (cancelled == null) {
                cancelled = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void checkNotCancelled() {
        if (cancelled != null) {
            throw new CancellationException(cancelled);
        }
    }
}
