package dev.pgcapture.core.codec;

import static dev.pgcapture.core.codec.Fixtures.fixture;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DateTimeCodecsTest {

    static Stream<Arguments> postgresValues() {
        return Stream.of(
                fixture("'2024-02-29'::date", 1082, "00002279", LocalDate.of(2024, 2, 29), "2024-02-29"),
                fixture("'infinity'::date", 1082, "7fffffff", LocalDate.MAX, "infinity"),
                fixture("'-infinity'::date", 1082, "80000000", LocalDate.MIN, "-infinity"),
                fixture("'0044-03-15 BC'::date", 1082, "fff49d7b", LocalDate.of(-43, 3, 15), "0044-03-15 BC"),
                fixture("'4713-01-01 BC'::date", 1082, "ffda97cd", LocalDate.of(-4712, 1, 1), "4713-01-01 BC"),
                fixture("'5874897-12-31'::date", 1082, "7fda970c", LocalDate.of(5874897, 12, 31), "5874897-12-31"),
                fixture("'1999-12-31'::date", 1082, "ffffffff", LocalDate.of(1999, 12, 31), "1999-12-31"),
                fixture("'00:00:00'::time", 1083, "0000000000000000", LocalTime.MIDNIGHT, "00:00:00"),
                fixture("'23:59:59.999999'::time", 1083, "000000141dd75fff", LocalTime.of(23, 59, 59, 999_999_000),
                        "23:59:59.999999"),
                fixture("'24:00:00'::time", 1083, "000000141dd76000", LocalTime.MAX, "24:00:00"),
                fixture("'12:34:56.789'::time", 1083, "0000000a8be62608", LocalTime.of(12, 34, 56, 789_000_000), "12:34:56.789"),
                fixture("'12:34:56.789+05:30'::timetz", 1266, "0000000a8be62608ffffb2a8",
                        OffsetTime.of(12, 34, 56, 789_000_000, ZoneOffset.ofHoursMinutes(5, 30)), "12:34:56.789+05:30"),
                fixture("'00:00:00-15:59:59'::timetz", 1266, "00000000000000000000e0ff",
                        OffsetTime.of(LocalTime.MIDNIGHT, ZoneOffset.ofHoursMinutesSeconds(-15, -59, -59)), "00:00:00-15:59:59"),
                fixture("'24:00:00+00'::timetz", 1266, "000000141dd7600000000000", OffsetTime.of(LocalTime.MAX, ZoneOffset.UTC),
                        "24:00:00+00"),
                fixture("'12:00:00+00:00:01'::timetz", 1266, "0000000a0eebb000ffffffff",
                        OffsetTime.of(LocalTime.NOON, ZoneOffset.ofTotalSeconds(1)), "12:00:00+00:00:01"),
                fixture("'2024-02-29 12:34:56.123456'::timestamp", 1114, "0002b58341685e40",
                        LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000), "2024-02-29 12:34:56.123456"),
                fixture("'infinity'::timestamp", 1114, "7fffffffffffffff", LocalDateTime.MAX, "infinity"),
                fixture("'-infinity'::timestamp", 1114, "8000000000000000", LocalDateTime.MIN, "-infinity"),
                fixture("'1999-12-31 23:59:59.5'::timestamp", 1114, "fffffffffff85ee0",
                        LocalDateTime.of(1999, 12, 31, 23, 59, 59, 500_000_000), "1999-12-31 23:59:59.5"),
                fixture("'4713-01-01 00:00:00 BC'::timestamp", 1114, "fd0f7fbdaf17e000", LocalDateTime.of(-4712, 1, 1, 0, 0),
                        "4713-01-01 00:00:00 BC"),
                fixture("'294276-12-31 23:59:59.999999'::timestamp", 1114, "7fffff5bb3b29fff",
                        LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000), "294276-12-31 23:59:59.999999"),
                fixture("'0001-01-01 00:00:00 BC'::timestamp", 1114, "ff1fc63d1bb12000", LocalDateTime.of(0, 1, 1, 0, 0),
                        "0001-01-01 00:00:00 BC"),
                fixture("'2024-02-29 12:34:56.5+02'::timestamptz", 1184, "0002b5819446d520",
                        OffsetDateTime.of(2024, 2, 29, 10, 34, 56, 500_000_000, ZoneOffset.UTC), "2024-02-29 10:34:56.5+00"),
                fixture("'infinity'::timestamptz", 1184, "7fffffffffffffff", OffsetDateTime.MAX, "infinity"),
                fixture("'-infinity'::timestamptz", 1184, "8000000000000000", OffsetDateTime.MIN, "-infinity"),
                fixture("'1900-01-01 00:00:00+00'::timestamptz", 1184, "fff4c9ee7c0b8000",
                        OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), "1900-01-01 00:00:00+00"),
                fixture("'0044-03-15 12:00:00+00 BC'::timestamptz", 1184, "ff1af9e8fb46d000",
                        OffsetDateTime.of(-43, 3, 15, 12, 0, 0, 0, ZoneOffset.UTC), "0044-03-15 12:00:00+00 BC"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgresValues")
    void decode_postgresSendOutput_givesJavaValueAndPostgresText(String sql, int oid, String hex, Object value, String text) {
        Fixtures.assertFixture(PgCodecs.builtIn(), sql, oid, hex, value, text);
    }
}
