package dev.pgcapture.agent;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Readiness;
import dev.pgcapture.core.Sink;
import dev.pgcapture.core.Source;
import dev.pgcapture.core.SourceMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an agent: a {@link Source} wired to a {@link Sink}, until it is stopped.
 *
 * <p>A session asks the sink where it stands, starts the source after that, and feeds every
 * message to the sink in order; whatever the sink reports durable is committed to the source.
 * When a session fails — a lost database or broker connection, a server restart — both sides
 * are closed, the failure is logged and a new session starts after a backoff that doubles up
 * to a ceiling. Nothing is skipped: the new session resumes from what the sink holds. A
 * {@link FatalAgentException} ends the run instead, since retrying cannot fix it.
 *
 * <p>{@link #stop} ends the run cleanly from any thread (a signal handler): reading stops, the
 * sink is closed (it waits for what it has sent to be acknowledged), then the source is closed
 * (it confirms what was acknowledged).
 *
 * <p>As a {@link Readiness}, the runner is ready while a session is running — its sink set up
 * and its source started — and its source and sink, where they are {@link Readiness} themselves
 * (a producer's or reader's connection), are ready too; not while it starts, waits out a backoff
 * after a failure, or has stopped.
 */
public final class AgentRunner implements Readiness {

    private static final Logger log = LoggerFactory.getLogger(AgentRunner.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** Delays between failed sessions: {@code initial}, doubling up to {@code max}. */
    public record Backoff(Duration initial, Duration max) {

        public Backoff {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff must start above zero and not exceed its maximum: initial "
                        + initial + ", max " + max);
            }
        }

        /** 1 second, doubling up to 30 seconds. */
        public static Backoff standard() {
            return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        }

        Duration next(Duration previous) {
            Duration doubled = previous.multipliedBy(2);
            return doubled.compareTo(max) > 0 ? max : doubled;
        }
    }

    private final String name;
    private final Supplier<? extends Source> sources;
    private final Supplier<? extends Sink> sinks;
    private final Backoff backoff;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int sessions;
    /** Why the runner is not running a session now; empty while one runs. */
    private volatile Optional<String> idle = Optional.of("not started");
    private volatile Optional<String> lastFailure = Optional.empty();
    private volatile Source runningSource;
    private volatile Sink runningSink;
    /** Whether the current session has passed a message on; a failure after progress starts the backoff over. */
    private boolean progressed;

    /**
     * @param name what the agent is, for logs ({@code "pg2pulsar slot pgcapture → topic t"})
     * @param sources makes a new source for every session
     * @param sinks makes a new sink for every session
     */
    public AgentRunner(String name, Supplier<? extends Source> sources, Supplier<? extends Sink> sinks, Backoff backoff) {
        this.name = Objects.requireNonNull(name, "name");
        this.sources = Objects.requireNonNull(sources, "sources");
        this.sinks = Objects.requireNonNull(sinks, "sinks");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * Runs sessions until {@link #stop} is called.
     *
     * @throws FatalAgentException when the agent cannot go on; it is not retried
     */
    public void run() throws FatalAgentException, InterruptedException {
        try {
            Duration delay = backoff.initial();
            while (!isStopping()) {
                sessions++;
                progressed = false;
                try {
                    session();
                } catch (FatalAgentException e) {
                    throw e;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    if (isStopping()) {
                        return;
                    }
                    Duration wait = progressed ? backoff.initial() : delay;
                    log.warn("{} failed; retrying in {} ms: {}", name, wait.toMillis(), describe(e));
                    lastFailure = Optional.of("session " + sessions + " failed: " + describe(e));
                    idle = Optional.of(lastFailure.get() + "; retrying in " + wait.toMillis() + " ms");
                    log.debug("{} failure", name, e);
                    if (stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    delay = backoff.next(wait);
                }
            }
        } finally {
            idle = Optional.of("stopped");
            finished.countDown();
        }
    }

    @Override
    public Optional<String> whyNotReady() {
        Optional<String> why = idle;
        if (why.isPresent()) {
            return why;
        }
        for (Object part : new Object[] {runningSource, runningSink}) {
            if (part instanceof Readiness readiness) {
                why = readiness.whyNotReady();
                if (why.isPresent()) {
                    return why;
                }
            }
        }
        return Optional.empty();
    }

    /** Asks the run to end cleanly; returns at once. */
    public void stop() {
        stopped.countDown();
    }

    /** Stops and waits up to {@code timeout} for the run to end; true if it did. */
    public boolean stopAndWait(Duration timeout) throws InterruptedException {
        stop();
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many sessions have started, counting the first. */
    public int sessions() {
        return sessions;
    }

    private boolean isStopping() {
        return stopped.getCount() == 0;
    }

    /** One session, until stopped (returns normally) or failed (throws). */
    private void session() throws Exception {
        idle = Optional.of("starting session " + sessions + lastFailure.map(failure -> " after: " + failure).orElse(""));
        Sink sink = sinks.get();
        Source source = null;
        boolean clean = false;
        try {
            source = sources.get();
            Source committer = source;
            Optional<Checkpoint> last = sink.setup(committer::commit);
            source.capture(last.orElse(Checkpoint.ZERO));
            log.info("{} started{}", name, last.map(checkpoint -> ", resuming after " + checkpoint).orElse(" on an empty sink"));
            runningSource = source;
            runningSink = sink;
            idle = Optional.empty();
            while (!isStopping()) {
                SourceMessage message = source.next(POLL);
                if (message != null) {
                    sink.apply(message);
                    progressed = true;
                }
            }
            clean = true;
        } finally {
            runningSource = null;
            runningSink = null;
            if (idle.isEmpty()) {
                idle = Optional.of("session " + sessions + " ended");
            }
            closeQuietly(sink, "sink");
            if (source != null) {
                closeQuietly(source, "source");
            }
            if (clean) {
                log.info("{} stopped", name);
            }
        }
    }

    private void closeQuietly(AutoCloseable closeable, String what) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("{}: closing the {} failed: {}", name, what, describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
