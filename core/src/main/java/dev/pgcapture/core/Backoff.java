package dev.pgcapture.core;

import java.time.Duration;
import java.util.Objects;

/**
 * An exponential backoff: {@code initial} after the first failure, doubling with each further
 * one, never more than {@code max}. Something that keeps failing thus costs little, and a
 * transient failure (a replica or a controller restarting) is retried soon. Used for the
 * controller's requeued chunks and the gateway's in-place retries and reconnections.
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

    /** The wait after {@code failures} failures in a row (1 for the first); zero for none. */
    public Duration delay(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration delay = initial;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) < 0 ? delay : max;
    }
}
