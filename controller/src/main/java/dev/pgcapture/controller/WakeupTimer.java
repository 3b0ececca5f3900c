package dev.pgcapture.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One pending wake-up on a scheduled executor: the earliest time at which the scheduler may have
 * something new to hand out (a cool-down or a backoff ends). Not thread-safe: the controller's
 * lock guards it.
 */
final class WakeupTimer {

    /** Fire a little after the instant, so that the clock has passed it when the tick reads it. */
    private static final Duration MARGIN = Duration.ofMillis(1);

    private final ScheduledExecutorService executor;
    private final Runnable tick;
    private ScheduledFuture<?> pending;
    private Instant at;

    WakeupTimer(ScheduledExecutorService executor, Runnable tick) {
        this.executor = executor;
        this.tick = tick;
    }

    /** Sets the timer for {@code next} (measured from {@code now}), unless it is already set for earlier. */
    void arm(Instant now, Optional<Instant> next) {
        if (next.isEmpty() || (pending != null && !next.get().isBefore(at))) {
            return;
        }
        cancel();
        at = next.get();
        pending = executor.schedule(tick, Duration.between(now, at).plus(MARGIN).toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The timer fired: the next {@link #arm} sets it again whatever the time. */
    void fired() {
        pending = null;
        at = null;
    }

    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            fired();
        }
    }
}
