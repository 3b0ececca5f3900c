package dev.pgcapture.core.codec;

import java.time.Duration;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A PostgreSQL {@code interval}: months and days (a {@link Period}) and a time part (a
 * {@link Duration} of whole microseconds), kept apart as PostgreSQL keeps them, since a month
 * has no fixed number of days nor a day a fixed number of hours.
 *
 * <p>The period's years and months together must fit PostgreSQL's 32-bit month count and the
 * duration its 64-bit microsecond count. PostgreSQL 17's {@code infinity} and
 * {@code -infinity} are {@link #INFINITY} and {@link #NEGATIVE_INFINITY}, which hold the very
 * values PostgreSQL uses for them (every field at its maximum, or minimum) and no finite
 * interval can have.
 *
 * @param period the months (as years and months) and days
 * @param time the time part
 */
public record PgInterval(Period period, Duration time) {

    /** PostgreSQL's {@code infinity} interval. */
    public static final PgInterval INFINITY = of(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
    /** PostgreSQL's {@code -infinity} interval. */
    public static final PgInterval NEGATIVE_INFINITY = of(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE);

    public PgInterval {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(time, "time");
        long months = period.toTotalMonths();
        if (months != (int) months) {
            throw new IllegalArgumentException("interval period " + period + " has " + months
                    + " months, more than PostgreSQL's 32-bit month count holds");
        }
        if (time.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("interval time " + time + " is not a whole number of microseconds");
        }
        // Throws ArithmeticException past PostgreSQL's 64-bit microsecond count.
        long ignored = time.dividedBy(ChronoUnit.MICROS.getDuration());
    }

    /** The interval of {@code months}, {@code days} and {@code micros} as PostgreSQL stores them. */
    public static PgInterval of(int months, int days, long micros) {
        return new PgInterval(Period.of(months / 12, months % 12, days), Duration.of(micros, ChronoUnit.MICROS));
    }

    /** All the months, years included, as PostgreSQL counts them. */
    public int months() {
        return (int) period.toTotalMonths();
    }

    /** The days. */
    public int days() {
        return period.getDays();
    }

    /** The time part in microseconds. */
    public long micros() {
        return time.dividedBy(ChronoUnit.MICROS.getDuration());
    }

    /** Whether this is {@code infinity} or {@code -infinity}. */
    public boolean isInfinite() {
        return equals(INFINITY) || equals(NEGATIVE_INFINITY);
    }
}
