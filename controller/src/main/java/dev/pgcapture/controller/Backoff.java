package dev.pgcapture.controller;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a requeued chunk (or exact-mode table) waits before it is handed out again:
 * {@code initial} after the first requeue, doubling with each further one, never more than
 * {@code max}. A chunk that keeps failing thus costs little, and a transient failure (a replica
 * restarting) is retried soon.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max " + max + " is shorter than its initial delay " + initial);
        }
    }

    /** 1 s, doubling, at most 1 minute. */
    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    /** The wait after the {@code retries}-th requeue (1 for the first). */
    public Duration delay(int retries) {
        if (retries <= 0) {
            return Duration.ZERO;
        }
        Duration delay = initial;
        for (int i = 1; i < retries && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) < 0 ? delay : max;
    }
}
