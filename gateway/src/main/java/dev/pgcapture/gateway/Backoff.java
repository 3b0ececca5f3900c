package dev.pgcapture.gateway;

import java.time.Duration;

/** An exponential backoff: {@code min} after the first failure, doubling, at most {@code max}. */
record Backoff(Duration min, Duration max) {

    /** The wait after {@code failures} failures in a row (at least 1). */
    Duration after(int failures) {
        Duration wait = min;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
