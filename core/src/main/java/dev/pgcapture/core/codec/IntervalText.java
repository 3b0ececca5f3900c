package dev.pgcapture.core.codec;

/**
 * An interval as PostgreSQL prints it with {@code IntervalStyle=postgres}:
 * {@code 1 year 2 mons -3 days +04:05:06.5}. Each non-zero field of years, months and days
 * carries its unit (plural unless exactly 1); a field right after a negative one gets an
 * explicit {@code +} when positive; the time appears when it is non-zero or nothing else did.
 */
final class IntervalText {

    private static final long MICROS_PER_HOUR = 3_600_000_000L;
    private static final long MICROS_PER_MINUTE = 60_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final StringBuilder out = new StringBuilder(48);
    private boolean empty = true;
    private boolean previousNegative;

    private IntervalText() {
    }

    static String format(PgInterval interval) {
        if (interval.equals(PgInterval.INFINITY)) {
            return "infinity";
        }
        if (interval.equals(PgInterval.NEGATIVE_INFINITY)) {
            return "-infinity";
        }
        IntervalText text = new IntervalText();
        int months = interval.months();
        text.field(months / 12, "year");
        text.field(months % 12, "mon");
        text.field(interval.days(), "day");
        long micros = interval.micros();
        if (text.empty || micros != 0) {
            text.time(micros);
        }
        return text.out.toString();
    }

    private void field(long value, String unit) {
        if (value == 0) {
            return;
        }
        if (!empty) {
            out.append(' ');
        }
        if (previousNegative && value > 0) {
            out.append('+');
        }
        out.append(value).append(' ').append(unit);
        if (value != 1) {
            out.append('s');
        }
        empty = false;
        previousNegative = value < 0;
    }

    /** {@code [-+]HH:MM:SS[.ffffff]}; hours are not limited to 24. */
    private void time(long micros) {
        if (!empty) {
            out.append(' ');
        }
        if (micros < 0) {
            out.append('-');
        } else if (previousNegative) {
            out.append('+');
        }
        DateTimeCodecs.zeroPad(out, Math.abs(micros / MICROS_PER_HOUR), 2);
        out.append(':');
        DateTimeCodecs.zeroPad(out, Math.abs(micros % MICROS_PER_HOUR / MICROS_PER_MINUTE), 2);
        out.append(':');
        DateTimeCodecs.zeroPad(out, Math.abs(micros % MICROS_PER_MINUTE / MICROS_PER_SECOND), 2);
        DateTimeCodecs.appendFraction(out, Math.abs(micros % MICROS_PER_SECOND));
    }
}
