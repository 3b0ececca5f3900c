package dev.pgcapture.core.codec;

import static dev.pgcapture.core.codec.Fixtures.fixture;
import static dev.pgcapture.core.codec.PgRange.Bound.exclusive;
import static dev.pgcapture.core.codec.PgRange.Bound.inclusive;
import static dev.pgcapture.core.codec.PgRange.Bound.unbounded;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RangeCodecsTest {

    private static final LocalDateTime JAN_1 = LocalDateTime.of(2024, 1, 1, 0, 0);

    static Stream<Arguments> postgresValues() {
        return Stream.of(
                fixture("'[1,10)'::int4range", 3904, "020000000400000001000000040000000a", PgRange.of(inclusive(1), exclusive(10)),
                        "[1,10)"),
                fixture("'[1,5]'::int4range /* canonical */", 3904, "0200000004000000010000000400000006",
                        PgRange.of(inclusive(1), exclusive(6)), "[1,6)"),
                fixture("'empty'::int4range", 3904, "01", PgRange.empty(), "empty"),
                fixture("'(,5)'::int4range", 3904, "080000000400000005", PgRange.of(unbounded(), exclusive(5)), "(,5)"),
                fixture("'[3,)'::int4range", 3904, "120000000400000003", PgRange.of(inclusive(3), unbounded()), "[3,)"),
                fixture("'(,)'::int4range", 3904, "18", PgRange.of(unbounded(), unbounded()), "(,)"),
                fixture("'[1,9223372036854775807)'::int8range", 3926, "02000000080000000000000001000000087fffffffffffffff",
                        PgRange.of(inclusive(1L), exclusive(Long.MAX_VALUE)), "[1,9223372036854775807)"),
                fixture("'[1.5,2.50]'::numrange", 3906, "060000000c0002000000000001000113880000000c000200000000000200021388",
                        PgRange.of(inclusive(num("1.5")), inclusive(num("2.50"))), "[1.5,2.50]"),
                fixture("'(,-1e-3]'::numrange", 3906, "0c0000000a0001ffff40000003000a", PgRange.of(unbounded(), inclusive(num("-0.001"))),
                        "(,-0.001]"),
                fixture("'[\"2024-01-01 00:00\",\"2024-01-02 12:30:00.5\")'::tsrange", 3908,
                        "02000000080002b0d5d4e94000000000080002b0f46cfdc320",
                        PgRange.of(inclusive(JAN_1), exclusive(LocalDateTime.of(2024, 1, 2, 12, 30, 0, 500_000_000))),
                        "[\"2024-01-01 00:00:00\",\"2024-01-02 12:30:00.5\")"),
                fixture("'[-infinity,infinity]'::tsrange", 3908, "06000000088000000000000000000000087fffffffffffffff",
                        PgRange.of(inclusive(LocalDateTime.MIN), inclusive(LocalDateTime.MAX)), "[-infinity,infinity]"),
                fixture("'[\"2024-01-01 00:00+00\",)'::tstzrange", 3910, "12000000080002b0d5d4e94000",
                        PgRange.of(inclusive(OffsetDateTime.of(JAN_1, ZoneOffset.UTC)), unbounded()), "[\"2024-01-01 00:00:00+00\",)"),
                fixture("'[2024-01-01,2024-02-01)'::daterange", 3912, "02000000040000223e000000040000225d",
                        PgRange.of(inclusive(LocalDate.of(2024, 1, 1)), exclusive(LocalDate.of(2024, 2, 1))), "[2024-01-01,2024-02-01)"),
                fixture("'(-infinity,2024-01-01]'::daterange", 3912, "000000000480000000000000040000223f",
                        PgRange.of(exclusive(LocalDate.MIN), exclusive(LocalDate.of(2024, 1, 2))), "(-infinity,2024-01-02)"),
                fixture("'{[1,3),[5,7)}'::int4multirange", 4451,
                        "00000002000000110200000004000000010000000400000003000000110200000004000000050000000400000007",
                        List.of(PgRange.of(inclusive(1), exclusive(3)), PgRange.of(inclusive(5), exclusive(7))), "{[1,3),[5,7)}"),
                fixture("'{}'::int4multirange", 4451, "00000000", List.of(), "{}"),
                fixture("'{(,3),[5,)}'::int8multirange", 4536, "000000020000000d080000000800000000000000030000000d12000000080000000000000005",
                        List.of(PgRange.of(unbounded(), exclusive(3L)), PgRange.of(inclusive(5L), unbounded())), "{(,3),[5,)}"),
                fixture("'{[1.5,2)}'::nummultirange", 4532, "000000010000001f020000000c0002000000000001000113880000000a00010000000000000002",
                        List.of(PgRange.of(inclusive(num("1.5")), exclusive(num("2")))), "{[1.5,2)}"),
                fixture("'{[2024-01-01,2024-02-01),[2024-03-01,)}'::datemultirange", 4535,
                        "000000020000001102000000040000223e000000040000225d0000000912000000040000227a",
                        List.of(PgRange.of(inclusive(LocalDate.of(2024, 1, 1)), exclusive(LocalDate.of(2024, 2, 1))),
                                PgRange.of(inclusive(LocalDate.of(2024, 3, 1)), unbounded())),
                        "{[2024-01-01,2024-02-01),[2024-03-01,)}"),
                fixture("'{[\"2024-01-01 00:00\",\"2024-01-02 00:00\")}'::tsmultirange", 4533,
                        "000000010000001902000000080002b0d5d4e94000000000080002b0e9f2c0a000",
                        List.of(PgRange.of(inclusive(JAN_1), exclusive(JAN_1.plusDays(1)))),
                        "{[\"2024-01-01 00:00:00\",\"2024-01-02 00:00:00\")}"),
                fixture("'{[\"2024-01-01 00:00+00\",\"2024-01-02 00:00+00\")}'::tstzmultirange", 4534,
                        "000000010000001902000000080002b0d5d4e94000000000080002b0e9f2c0a000",
                        List.of(PgRange.of(inclusive(OffsetDateTime.of(JAN_1, ZoneOffset.UTC)),
                                exclusive(OffsetDateTime.of(JAN_1.plusDays(1), ZoneOffset.UTC)))),
                        "{[\"2024-01-01 00:00:00+00\",\"2024-01-02 00:00:00+00\")}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgresValues")
    void decode_postgresSendOutput_givesJavaValueAndPostgresText(String sql, int oid, String hex, Object value, String text) {
        Fixtures.assertFixture(PgCodecs.builtIn(), sql, oid, hex, value, text);
    }

    private static PgNumeric num(String value) {
        return PgNumeric.of(new BigDecimal(value));
    }
}
