package dev.pgcapture.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PostgresTimeTest {

    /** {@code SELECT (extract(epoch FROM timestamptz '2024-05-01 12:34:56.789012+00') - 946684800) * 1000000}. */
    private static final long MAY_2024_MICROS = 767_882_096_789_012L;

    @Test
    void toInstant_countsMicrosecondsFrom2000() {
        assertEquals(Instant.parse("2000-01-01T00:00:00Z"), PostgresTime.toInstant(0));
        assertEquals(Instant.parse("2024-05-01T12:34:56.789012Z"), PostgresTime.toInstant(MAY_2024_MICROS));
    }

    @Test
    void toInstant_beforeTheEpoch_keepsTheMicroseconds() {
        assertEquals(Instant.parse("1999-12-31T23:59:59.999999Z"), PostgresTime.toInstant(-1));
        assertEquals(Instant.parse("1970-01-01T00:00:00Z"), PostgresTime.toInstant(-946_684_800_000_000L));
    }

    @Test
    void toEpochMillis_isUnixMilliseconds_roundedTowardThePast() {
        assertEquals(946_684_800_000L, PostgresTime.toEpochMillis(0));
        assertEquals(1_714_566_896_789L, PostgresTime.toEpochMillis(MAY_2024_MICROS));
        assertEquals(946_684_799_999L, PostgresTime.toEpochMillis(-1));
        assertEquals(PostgresTime.toInstant(MAY_2024_MICROS).toEpochMilli(), PostgresTime.toEpochMillis(MAY_2024_MICROS));
    }

    @Test
    void extremes_convertWithoutOverflow() {
        assertEquals(9_224_318_721_654L, PostgresTime.toInstant(Long.MAX_VALUE).getEpochSecond());
        assertEquals(Long.MAX_VALUE / 1000 + 946_684_800_000L, PostgresTime.toEpochMillis(Long.MAX_VALUE));
        assertEquals(Math.floorDiv(Long.MIN_VALUE, 1000) + 946_684_800_000L, PostgresTime.toEpochMillis(Long.MIN_VALUE));
        assertEquals(Math.floorDiv(Long.MIN_VALUE, 1_000_000) + 946_684_800L, PostgresTime.toInstant(Long.MIN_VALUE).getEpochSecond());
    }
}
