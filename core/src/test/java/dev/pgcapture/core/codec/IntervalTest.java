package dev.pgcapture.core.codec;

import static dev.pgcapture.core.codec.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Period;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IntervalTest {

    static Stream<Arguments> postgresValues() {
        return Stream.of(
                fixture("'1 year 2 mons 3 days 04:05:06.789'::interval", 1186, "000000036c97ca88000000030000000e",
                        PgInterval.of(14, 3, 14_706_789_000L), "1 year 2 mons 3 days 04:05:06.789"),
                fixture("'-1 year -2 mons +3 days -04:05:06.5'::interval", 1186, "fffffffc936c9e6000000003fffffff2",
                        PgInterval.of(-14, 3, -14_706_500_000L), "-1 years -2 mons +3 days -04:05:06.5"),
                fixture("'0'::interval", 1186, "00000000000000000000000000000000", PgInterval.of(0, 0, 0), "00:00:00"),
                fixture("'-3 days'::interval", 1186, "0000000000000000fffffffd00000000", PgInterval.of(0, -3, 0), "-3 days"),
                fixture("'1 mon -1 day'::interval", 1186, "0000000000000000ffffffff00000001", PgInterval.of(1, -1, 0),
                        "1 mon -1 days"),
                fixture("'-1 mon 2 days 3 hours'::interval", 1186, "0000000283baec0000000002ffffffff",
                        PgInterval.of(-1, 2, 10_800_000_000L), "-1 mons +2 days 03:00:00"),
                fixture("'100000 hours'::interval", 1186, "0001476b081e80000000000000000000",
                        PgInterval.of(0, 0, 360_000_000_000_000L), "100000:00:00"),
                fixture("'-0.000001 sec'::interval", 1186, "ffffffffffffffff0000000000000000", PgInterval.of(0, 0, -1),
                        "-00:00:00.000001"),
                fixture("'infinity'::interval", 1186, "7fffffffffffffff7fffffff7fffffff", PgInterval.INFINITY, "infinity"),
                fixture("'-infinity'::interval", 1186, "80000000000000008000000080000000", PgInterval.NEGATIVE_INFINITY, "-infinity"),
                fixture("'-1 day +1 hour'::interval", 1186, "00000000d693a400ffffffff00000000",
                        PgInterval.of(0, -1, 3_600_000_000L), "-1 days +01:00:00"),
                fixture("'13 mons'::interval", 1186, "0000000000000000000000000000000d", PgInterval.of(13, 0, 0), "1 year 1 mon"),
                fixture("'1 day'::interval", 1186, "00000000000000000000000100000000", PgInterval.of(0, 1, 0), "1 day"),
                fixture("'-2147483648 days -2147483648 mons'::interval", 1186, "00000000000000008000000080000000",
                        PgInterval.of(Integer.MIN_VALUE, Integer.MIN_VALUE, 0), "-178956970 years -8 mons -2147483648 days"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgresValues")
    void decode_postgresSendOutput_givesJavaValueAndPostgresText(String sql, int oid, String hex, Object value, String text) {
        Fixtures.assertFixture(PgCodecs.builtIn(), sql, oid, hex, value, text);
    }

    @Test
    void of_keepsPostgresFieldsAsPeriodAndDuration() {
        PgInterval interval = PgInterval.of(-14, 3, -1_500_000);
        assertEquals(Period.of(-1, -2, 3), interval.period());
        assertEquals(Duration.ofMillis(-1500), interval.time());
        assertEquals(-14, interval.months());
        assertEquals(3, interval.days());
        assertEquals(-1_500_000, interval.micros());
    }

    @Test
    void infinities_areInfinite_finiteExtremesAreNot() {
        assertTrue(PgInterval.INFINITY.isInfinite());
        assertTrue(PgInterval.NEGATIVE_INFINITY.isInfinite());
        assertFalse(PgInterval.of(Integer.MIN_VALUE, Integer.MIN_VALUE, 0).isInfinite());
    }

    @Test
    void constructor_nanosecondsOrTooManyMonths_isRefusedWithTheValue() {
        IllegalArgumentException nanos = assertThrows(IllegalArgumentException.class,
                () -> new PgInterval(Period.ZERO, Duration.ofNanos(1)));
        assertEquals("interval time PT0.000000001S is not a whole number of microseconds", nanos.getMessage());
        IllegalArgumentException months = assertThrows(IllegalArgumentException.class,
                () -> new PgInterval(Period.ofYears(200_000_000), Duration.ZERO));
        assertEquals("interval period P200000000Y has 2400000000 months, more than PostgreSQL's 32-bit month count holds",
                months.getMessage());
    }
}
