package dev.pgcapture.core.codec;

import dev.pgcapture.core.PostgresTime;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code date}, {@code time}, {@code timetz}, {@code timestamp}, {@code timestamptz} and
 * {@code interval}. PostgreSQL counts days and microseconds from 2000-01-01; its
 * {@code infinity} and {@code -infinity} become the Java type's {@code MAX} and {@code MIN}
 * (both far outside PostgreSQL's range, so no finite value maps to them), and {@code 24:00:00}
 * becomes {@link LocalTime#MAX}, which no other PostgreSQL time can be (it has nanoseconds).
 * Text follows {@code DateStyle=ISO}, {@code TimeZone=UTC}, {@code IntervalStyle=postgres}.
 */
final class DateTimeCodecs {

    private static final long EPOCH_DAY_2000 = 10_957;
    private static final long MICROS_PER_SECOND = 1_000_000;
    private static final long MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND;
    /** timetz offsets are within ±15:59:59 in PostgreSQL. */
    private static final int MAX_ZONE_SECONDS = 15 * 3600 + 59 * 60 + 59;

    private DateTimeCodecs() {
    }

    static List<Codec<?>> all() {
        return List.of(
                Codec.fixed(1082, "date", LocalDate.class, 4, in -> date(in.getInt()), DateTimeCodecs::dateText),
                Codec.fixed(1083, "time", LocalTime.class, 8, in -> time(in.getLong()), DateTimeCodecs::timeText),
                Codec.fixed(1266, "timetz", OffsetTime.class, 12, DateTimeCodecs::timetz, DateTimeCodecs::timetzText),
                Codec.fixed(1114, "timestamp", LocalDateTime.class, 8, in -> timestamp(in.getLong()),
                        DateTimeCodecs::timestampText),
                Codec.fixed(1184, "timestamptz", OffsetDateTime.class, 8, in -> timestamptz(in.getLong()),
                        DateTimeCodecs::timestamptzText),
                Codec.fixed(1186, "interval", PgInterval.class, 16, DateTimeCodecs::interval, IntervalText::format));
    }

    static LocalDate date(int days) {
        return switch (days) {
            case Integer.MAX_VALUE -> LocalDate.MAX;
            case Integer.MIN_VALUE -> LocalDate.MIN;
            default -> LocalDate.ofEpochDay(EPOCH_DAY_2000 + days);
        };
    }

    static LocalTime time(long micros) {
        if (micros < 0 || micros > MICROS_PER_DAY) {
            throw new Codec.BadValue("time of " + micros + " microseconds is outside 00:00:00..24:00:00");
        }
        return micros == MICROS_PER_DAY ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
    }

    private static OffsetTime timetz(java.nio.ByteBuffer in) {
        LocalTime time = time(in.getLong());
        int zoneWest = in.getInt();
        if (Math.abs(zoneWest) > MAX_ZONE_SECONDS) {
            throw new Codec.BadValue("time zone offset of " + zoneWest + " seconds is beyond ±15:59:59");
        }
        return OffsetTime.of(time, ZoneOffset.ofTotalSeconds(-zoneWest));
    }

    static LocalDateTime timestamp(long micros) {
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        return LocalDateTime.ofInstant(PostgresTime.toInstant(micros), ZoneOffset.UTC);
    }

    static OffsetDateTime timestamptz(long micros) {
        if (micros == Long.MAX_VALUE) {
            return OffsetDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return OffsetDateTime.MIN;
        }
        return OffsetDateTime.of(timestamp(micros), ZoneOffset.UTC);
    }

    private static PgInterval interval(java.nio.ByteBuffer in) {
        long micros = in.getLong();
        int days = in.getInt();
        int months = in.getInt();
        return PgInterval.of(months, days, micros);
    }

    static String dateText(LocalDate date) {
        if (date.equals(LocalDate.MAX)) {
            return "infinity";
        }
        if (date.equals(LocalDate.MIN)) {
            return "-infinity";
        }
        StringBuilder out = new StringBuilder(16);
        appendDate(out, date);
        return bc(out, date.getYear());
    }

    static String timeText(LocalTime time) {
        StringBuilder out = new StringBuilder(15);
        appendTime(out, time);
        return out.toString();
    }

    static String timetzText(OffsetTime time) {
        StringBuilder out = new StringBuilder(24);
        appendTime(out, time.toLocalTime());
        appendOffset(out, time.getOffset().getTotalSeconds());
        return out.toString();
    }

    static String timestampText(LocalDateTime timestamp) {
        if (timestamp.equals(LocalDateTime.MAX)) {
            return "infinity";
        }
        if (timestamp.equals(LocalDateTime.MIN)) {
            return "-infinity";
        }
        StringBuilder out = new StringBuilder(32);
        appendDate(out, timestamp.toLocalDate());
        out.append(' ');
        appendTime(out, timestamp.toLocalTime());
        return bc(out, timestamp.getYear());
    }

    static String timestamptzText(OffsetDateTime timestamp) {
        if (timestamp.equals(OffsetDateTime.MAX)) {
            return "infinity";
        }
        if (timestamp.equals(OffsetDateTime.MIN)) {
            return "-infinity";
        }
        LocalDateTime utc = timestamp.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        StringBuilder out = new StringBuilder(36);
        appendDate(out, utc.toLocalDate());
        out.append(' ');
        appendTime(out, utc.toLocalTime());
        out.append("+00");
        return bc(out, utc.getYear());
    }

    /** {@code YYYY-MM-DD}, the year as PostgreSQL counts it (no year 0: 1 BC is year 1). */
    private static void appendDate(StringBuilder out, LocalDate date) {
        int year = date.getYear();
        zeroPad(out, year > 0 ? year : 1 - year, 4);
        out.append('-');
        zeroPad(out, date.getMonthValue(), 2);
        out.append('-');
        zeroPad(out, date.getDayOfMonth(), 2);
    }

    private static String bc(StringBuilder out, int year) {
        if (year <= 0) {
            out.append(" BC");
        }
        return out.toString();
    }

    /** {@code HH:MM:SS}, then the fraction without trailing zeros; {@link LocalTime#MAX} is {@code 24:00:00}. */
    private static void appendTime(StringBuilder out, LocalTime time) {
        if (time.equals(LocalTime.MAX)) {
            out.append("24:00:00");
            return;
        }
        if (time.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("time " + time + " has nanoseconds; PostgreSQL keeps microseconds");
        }
        zeroPad(out, time.getHour(), 2);
        out.append(':');
        zeroPad(out, time.getMinute(), 2);
        out.append(':');
        zeroPad(out, time.getSecond(), 2);
        appendFraction(out, time.getNano() / 1000);
    }

    /** {@code .ffffff} without trailing zeros; nothing for 0. */
    static void appendFraction(StringBuilder out, long micros) {
        if (micros == 0) {
            return;
        }
        String digits = Long.toString(1_000_000 + micros).substring(1);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        out.append('.').append(digits, 0, end);
    }

    /** An offset east of UTC as PostgreSQL prints it: {@code +05}, {@code +05:30}, {@code -00:00:01}. */
    private static void appendOffset(StringBuilder out, int secondsEast) {
        int seconds = Math.abs(secondsEast);
        out.append(secondsEast >= 0 ? '+' : '-');
        zeroPad(out, seconds / 3600, 2);
        int minutes = seconds / 60 % 60;
        int rest = seconds % 60;
        if (minutes != 0 || rest != 0) {
            out.append(':');
            zeroPad(out, minutes, 2);
        }
        if (rest != 0) {
            out.append(':');
            zeroPad(out, rest, 2);
        }
    }

    static void zeroPad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }
}
