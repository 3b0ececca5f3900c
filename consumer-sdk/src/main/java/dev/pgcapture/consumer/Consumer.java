package dev.pgcapture.consumer;

import dev.pgcapture.consumer.CaptureStream.Closing;
import dev.pgcapture.consumer.CaptureStream.Event;
import dev.pgcapture.core.Backoff;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of one URI's change stream from a gateway: {@link #consume} hands every change to
 * its model's handler and acknowledges or requeues it, until {@link #close()}. Create it with
 * {@link PgCapture#newConsumer}.
 *
 * <p>When the gateway goes away (it restarts, the network drops) the consumer reconnects with
 * an exponential backoff ({@link ConsumerOptions.Builder#reconnectBackoff}) and resumes where
 * the subscription stands: every change not acknowledged comes again, so a change is handled
 * at least once. When the gateway refuses the consumer for good (unknown URI, bad options),
 * {@link #consume} throws a {@link ConsumerException} instead.
 *
 * <p>The consumer has no threads of its own: {@code consume} runs on the caller's thread, and
 * gRPC's callbacks only queue what arrives. {@code close()} may be called from any thread, a
 * handler included.
 */
public final class Consumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Consumer.class);

    /** The default decode error listener: a warning in the log. */
    static final DecodeErrorListener LOG_DECODE_ERRORS = error -> log.warn("{}", error);

    /** Statuses retrying cannot fix. */
    private static final Set<Status.Code> FATAL = EnumSet.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.FAILED_PRECONDITION, Status.Code.UNIMPLEMENTED, Status.Code.PERMISSION_DENIED,
            Status.Code.UNAUTHENTICATED, Status.Code.OUT_OF_RANGE);

    private final Channel channel;
    private final ConsumerOptions options;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Counters counters = new Counters();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lock = new Object();
    private Thread consuming;
    private boolean started;
    private volatile boolean closed;

    Consumer(Channel channel, ConsumerOptions options) {
        Objects.requireNonNull(channel, "channel");
        this.options = Objects.requireNonNull(options, "options");
        this.channel = options.callCredentials().map(credentials -> ClientInterceptors.intercept(channel, withCredentials(credentials)))
                .orElse(channel);
    }

    /** Sends {@code credentials} with every call (a call that sets its own keeps them). */
    private static ClientInterceptor withCredentials(CallCredentials credentials) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
                return next.newCall(method, callOptions.getCredentials() != null ? callOptions : callOptions.withCallCredentials(credentials));
            }
        };
    }

    /**
     * Consumes the stream until {@link #close()}: each change goes to the handler of its table's
     * model, and is acknowledged when the handler returns (or its stage completes) and requeued
     * when it throws (or its stage fails). Changes of tables without a handler are acknowledged
     * at once. Returns when the consumer is closed.
     *
     * @throws ConsumerException when the gateway refuses the consumer for good
     * @throws InterruptedException when the calling thread is interrupted; the consumer is then closed
     * @throws IllegalStateException when the consumer is consuming already, or was closed
     */
    public void consume(Handlers handlers) throws InterruptedException {
        Objects.requireNonNull(handlers, "handlers");
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException(closed ? "the consumer is closed" : "the consumer is consuming already");
            }
            started = true;
            consuming = Thread.currentThread();
        }
        try {
            run(handlers);
        } finally {
            closed = true;
            stopped.countDown();
        }
    }

    private void run(Handlers handlers) throws InterruptedException {
        GatewayTypes types = new GatewayTypes(channel, options.uri(), options.clock());
        Backoff backoff = new Backoff(options.reconnectInitial(), options.reconnectMax());
        int failures = 0;
        while (!closed) {
            Dispatcher.Outcome outcome = new Dispatcher(channel, options, handlers, types, events, counters, () -> closed).run();
            if (outcome.closing() || closed) {
                return;
            }
            Status status = outcome.status();
            if (FATAL.contains(status.getCode())) {
                throw new ConsumerException(options.uri(), status);
            }
            failures = outcome.delivered() ? 1 : failures + 1;
            Duration wait = backoff.delay(failures);
            log.warn("the capture stream of URI \"{}\" ended ({}{}{}); reconnecting in {} ms", options.uri(), status.getCode(),
                    status.getDescription() != null ? ": " + status.getDescription() : "", rootCause(status), wait.toMillis());
            if (waitForClose(wait)) {
                return;
            }
            counters.reconnects.incrementAndGet();
        }
    }

    /**
     * The innermost cause of a failed call, e.g. a TLS handshake's
     * {@code (SSLHandshakeException: Received fatal alert: certificate_required)}: gRPC's own
     * description of such a failure is only "ssl exception".
     */
    private static String rootCause(Status status) {
        Throwable cause = status.getCause();
        if (cause == null) {
            return "";
        }
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return " (" + cause.getClass().getSimpleName() + (cause.getMessage() != null ? ": " + cause.getMessage() : "") + ")";
    }

    /** Waits {@code wait} unless the consumer closes meanwhile; true when it did. */
    private boolean waitForClose(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return closed;
            }
            Event event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event instanceof Closing || closed) {
                return true;
            }
            // other events belong to a call that ended: what it did not acknowledge comes again
        }
    }

    /** What the consumer has done so far. */
    public ConsumerStats stats() {
        return counters.snapshot();
    }

    /**
     * Stops consuming: handlers that are running finish (asynchronous ones get the close
     * timeout), the gateway takes the last acknowledgements, and {@link #consume} returns.
     * Updates held by debouncing are not acknowledged, so the gateway delivers them again to
     * the next consumer. Waits until {@code consume} has returned, at most twice the close
     * timeout (then interrupts it), unless called from a handler. Idempotent.
     */
    @Override
    public void close() {
        Thread thread;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            thread = consuming;
            if (!started) {
                started = true;
                stopped.countDown();
            }
        }
        events.add(new Closing());
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            if (!stopped.await(options.closeTimeout().toMillis() * 2 + 100, TimeUnit.MILLISECONDS)) {
                log.warn("the consumer of URI \"{}\" did not stop within {} ms (a handler still runs); interrupting it",
                        options.uri(), options.closeTimeout().toMillis() * 2);
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
