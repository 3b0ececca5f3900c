package dev.pgcapture.core.codec;

/**
 * An interval as PostgreSQL prints it with {@code IntervalStyle=postgres}:
 * {@code 1 year 2 mons -3 days +04:05:06.5}. Each non-zero field of years, months and days
 * carries its unit (plural unless exactly 1); a field after a negative one gets an explicit
 * {@code +} when positive; the time appears when it is non-zero or when nothing else did.
 */
final class IntervalText {

    private static final long MICROS_PER_HOUR = 3_600_000_000L;
    private static final long MICROS_PER_MINUTE = 60_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private IntervalText() {
    }

    static String format(PgInterval interval) {
        if (interval.equals(PgInterval.INFINITY)) {
            return "infinity";
        }
        if (interval.equals(PgInterval.NEGATIVE_INFINITY)) {
            return "-infinity";
        }
        int months = interval.months();
        long micros = interval.micros();
        StringBuilder out = new StringBuilder(48);
        // Which fields were printed, and whether the last one printed was negative.
        boolean[] state = {true, false}; // {nothing printed yet, previous field negative}
        field(out, months / 12, "year", state);
        field(out, months % 12, "mon", state);
        field(out, interval.days(), "day", state);
        boolean nothing = state[0];
        if (nothing || micros != 0) {
            long hours = micros / MICROS_PER_HOUR;
            long minutes = micros % MICROS_PER_HOUR / MICROS_PER_MINUTE;
            long seconds = micros % MICROS_PER_MINUTE / MICROS_PER_SECOND;
            long fraction = micros % MICROS_PER_SECOND;
            if (!nothing) {
                out.append(' ');
            }
            if (micros < 0) {
                out.append('-');
            } else if (state[1]) {
                out.append('+');
            }
            DateTimeCodecs.zeroPad(out, Math.abs(hours), 2);
            out.append(':');
            DateTimeCodecs.zeroPad(out, Math.abs(minutes), 2);
            out.append(':');
            DateTimeCodecs.zeroPad(out, Math.abs(seconds), 2);
            DateTimeCodecs.appendFraction(out, Math.abs(fraction));
        }
        return out.toString();
    }

    private static void field(StringBuilder out, long value, String unit, boolean[] state) {
        if (value == 0) {
            return;
        }
        if (!state[0]) {
            out.append(' ');
        }
        if (state[1] && value > 0) {
            out.append('+');
        }
        out.append(value).append(' ').append(unit);
        if (value != 1) {
            out.append('s');
        }
        state[0] = false;
        state[1] = value < 0;
    }
}
