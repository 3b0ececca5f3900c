package dev.pgcapture.core.codec;

import static dev.pgcapture.core.codec.Fixtures.fixture;

import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NumberCodecsTest {

    static Stream<Arguments> postgresValues() {
        return Stream.of(
                fixture("true", 16, "01", true, "t"),
                fixture("false", 16, "00", false, "f"),
                fixture("0::int2", 21, "0000", (short) 0, "0"),
                fixture("(-32768)::int2", 21, "8000", Short.MIN_VALUE, "-32768"),
                fixture("32767::int2", 21, "7fff", Short.MAX_VALUE, "32767"),
                fixture("42::int4", 23, "0000002a", 42, "42"),
                fixture("(-2147483648)::int4", 23, "80000000", Integer.MIN_VALUE, "-2147483648"),
                fixture("2147483647::int4", 23, "7fffffff", Integer.MAX_VALUE, "2147483647"),
                fixture("(-9223372036854775808)::int8", 20, "8000000000000000", Long.MIN_VALUE, "-9223372036854775808"),
                fixture("9223372036854775807::int8", 20, "7fffffffffffffff", Long.MAX_VALUE, "9223372036854775807"),
                fixture("0::oid", 26, "00000000", 0L, "0"),
                fixture("4294967295::oid", 26, "ffffffff", 4294967295L, "4294967295"),
                fixture("1.5::float4", 700, "3fc00000", 1.5f, "1.5"),
                fixture("'NaN'::float4", 700, "7fc00000", Float.NaN, "NaN"),
                fixture("'-Infinity'::float4", 700, "ff800000", Float.NEGATIVE_INFINITY, "-Infinity"),
                fixture("'1e-45'::float4", 700, "00000001", Float.MIN_VALUE, "1e-45"),
                fixture("3.4028235e38::float4", 700, "7f7fffff", Float.MAX_VALUE, "3.4028235e+38"),
                fixture("1e6::float4", 700, "49742400", 1e6f, "1e+06"),
                fixture("0.1::float4", 700, "3dcccccd", 0.1f, "0.1"),
                fixture("'-0'::float4", 700, "80000000", -0f, "-0"),
                fixture("0.1::float8", 701, "3fb999999999999a", 0.1, "0.1"),
                fixture("'NaN'::float8", 701, "7ff8000000000000", Double.NaN, "NaN"),
                fixture("'Infinity'::float8", 701, "7ff0000000000000", Double.POSITIVE_INFINITY, "Infinity"),
                fixture("'-Infinity'::float8", 701, "fff0000000000000", Double.NEGATIVE_INFINITY, "-Infinity"),
                fixture("'5e-324'::float8", 701, "0000000000000001", Double.MIN_VALUE, "5e-324"),
                fixture("1e23::float8", 701, "44b52d02c7e14af6", 1e23, "9.999999999999999e+22"),
                fixture("1.7976931348623157e308::float8", 701, "7fefffffffffffff", Double.MAX_VALUE, "1.7976931348623157e+308"),
                fixture("123456789012345.6::float8", 701, "42dc12218377de66", 123456789012345.6, "123456789012345.6"),
                fixture("1e15::float8", 701, "430c6bf526340000", 1e15, "1e+15"),
                fixture("0.0001::float8", 701, "3f1a36e2eb1c432d", 0.0001, "0.0001"),
                fixture("0.00001::float8", 701, "3ee4f8b588e368f1", 0.00001, "1e-05"),
                fixture("'-0'::float8", 701, "8000000000000000", -0.0, "-0"),
                fixture("-2.5::float8", 701, "c004000000000000", -2.5, "-2.5"),
                fixture("0::numeric", 1700, "0000000000000000", num("0"), "0"),
                fixture("0.000::numeric", 1700, "0000000000000003", num("0.000"), "0.000"),
                fixture("1.50::numeric", 1700, "000200000000000200011388", num("1.50"), "1.50"),
                fixture("-1234567.8901::numeric", 1700, "0003000140000004007b11d722c5", num("-1234567.8901"), "-1234567.8901"),
                fixture("'NaN'::numeric", 1700, "00000000c0000000", PgNumeric.Special.NAN, "NaN"),
                fixture("'Infinity'::numeric", 1700, "00000000d0000020", PgNumeric.Special.POSITIVE_INFINITY, "Infinity"),
                fixture("'-Infinity'::numeric", 1700, "00000000f0000020", PgNumeric.Special.NEGATIVE_INFINITY, "-Infinity"),
                fixture("123456789012345678901234567890.123456789::numeric", 1700,
                        "000b000700000009000c0d801ed204d2162e23340d801ed204d2162e2328",
                        num("123456789012345678901234567890.123456789"), "123456789012345678901234567890.123456789"),
                fixture("0.00000001::numeric", 1700, "0001fffe000000080001", num("0.00000001"), "0.00000001"),
                fixture("10000::numeric", 1700, "00010001000000000001", num("10000"), "10000"),
                fixture("1e20::numeric", 1700, "00010005000000000001", num("100000000000000000000"), "100000000000000000000"),
                fixture("-0.5::numeric", 1700, "0001ffff400000011388", num("-0.5"), "-0.5"),
                fixture("12.345::numeric(10,2)", 1700, "0002000000000002000c0dac", num("12.35"), "12.35"),
                fixture("'-1234567.89'::money", 790, "fffffffff8a432eb", new BigDecimal("-1234567.89"), "-$1,234,567.89"),
                fixture("'0'::money", 790, "0000000000000000", new BigDecimal("0.00"), "$0.00"),
                fixture("'92233720368547758.07'::money", 790, "7fffffffffffffff", new BigDecimal("92233720368547758.07"),
                        "$92,233,720,368,547,758.07"),
                fixture("'-92233720368547758.08'::money", 790, "8000000000000000", new BigDecimal("-92233720368547758.08"),
                        "-$92,233,720,368,547,758.08"));
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
