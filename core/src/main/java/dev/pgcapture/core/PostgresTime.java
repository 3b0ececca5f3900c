package dev.pgcapture.core;

import java.time.Instant;

/**
 * PostgreSQL's timestamps as the change stream carries them ({@code Begin.commit_time},
 * {@code Commit.commit_time}): microseconds since 2000-01-01 00:00:00 UTC, PostgreSQL's epoch.
 * Every {@code long} converts exactly (to the microsecond) and without overflow.
 */
public final class PostgresTime {

    /** PostgreSQL's epoch, 2000-01-01 00:00:00 UTC. */
    public static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private static final long EPOCH_SECOND = EPOCH.getEpochSecond();
    private static final long MICROS_PER_SECOND = 1_000_000;

    private PostgresTime() {
    }

    /** The instant {@code micros} microseconds after PostgreSQL's epoch (before it when negative). */
    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND) + EPOCH_SECOND,
                Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
    }

    /** The same instant in milliseconds since the Unix epoch, rounded down (toward the past). */
    public static long toEpochMillis(long micros) {
        return Math.floorDiv(micros, 1000) + EPOCH_SECOND * 1000;
    }
}
