package dev.pgcapture.core.codec;

import static dev.pgcapture.core.codec.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.core.codec.PgArray.Dimension;
import dev.pgcapture.core.codec.PgGeometry.Box;
import dev.pgcapture.core.codec.PgGeometry.Point;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArrayCodecsTest {

    static Stream<Arguments> postgresValues() {
        return Stream.of(
                fixture("'{1,2,3}'::int4[]", 1007,
                        "0000000100000000000000170000000300000001000000040000000100000004000000020000000400000003",
                        PgArray.of(List.of(1, 2, 3)), "{1,2,3}"),
                fixture("'{}'::int4[]", 1007, "000000000000000000000017", PgArray.empty(), "{}"),
                fixture("'{1,NULL,3}'::int4[]", 1007, "00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003",
                        PgArray.of(Arrays.asList(1, null, 3)), "{1,NULL,3}"),
                fixture("'{{1,2},{3,NULL}}'::int4[]", 1007,
                        "00000002000000010000001700000002000000010000000200000001000000040000000100000004000000020000000400000003ffffffff",
                        new PgArray<>(List.of(new Dimension(2, 1), new Dimension(2, 1)), Arrays.asList(1, 2, 3, null)),
                        "{{1,2},{3,NULL}}"),
                fixture("'[2:3]={7,8}'::int4[]", 1007, "000000010000000000000017000000020000000200000004000000070000000400000008",
                        new PgArray<>(List.of(new Dimension(2, 2)), List.of(7, 8)), "[2:3]={7,8}"),
                fixture("'[0:1][-1:0]={{1,2},{3,4}}'::int4[]", 1007,
                        "000000020000000000000017000000020000000000000002ffffffff0000000400000001000000040000000200000004000000030000000400000004",
                        new PgArray<>(List.of(new Dimension(2, 0), new Dimension(2, -1)), List.of(1, 2, 3, 4)), "[0:1][-1:0]={{1,2},{3,4}}"),
                fixture("'{{{1},{2}},{{3},{4}}}'::int8[]", 1016,
                        "000000030000000000000014000000020000000100000002000000010000000100000001000000080000000000000001"
                                + "000000080000000000000002000000080000000000000003000000080000000000000004",
                        new PgArray<>(List.of(new Dimension(2, 1), new Dimension(2, 1), new Dimension(1, 1)), List.of(1L, 2L, 3L, 4L)),
                        "{{{1},{2}},{{3},{4}}}"),
                fixture("'{\"a b\",\"\",\"NULL\",null,\"x\\\"y\",\"back\\\\slash\",\"{}\",\",\",\"plain\",\"ü\"}'::text[]", 1009,
                        "0000000100000001000000190000000a0000000100000003612062000000000000000"
                                + "44e554c4cffffffff000000037822790000000a6261636b5c736c617368000000027b7d000000012c00000005706c61696e00000002c3bc",
                        PgArray.of(Arrays.asList("a b", "", "NULL", null, "x\"y", "back\\slash", "{}", ",", "plain", "ü")),
                        "{\"a b\",\"\",\"NULL\",NULL,\"x\\\"y\",\"back\\\\slash\",\"{}\",\",\",plain,ü}"),
                fixture("'{t,f,NULL}'::bool[]", 1000, "000000010000000100000010000000030000000100000001010000000100ffffffff",
                        PgArray.of(Arrays.asList(true, false, null)), "{t,f,NULL}"),
                fixture("'{1.5,NaN,-Infinity}'::float8[]", 1022,
                        "0000000100000000000002bd0000000300000001000000083ff8000000000000000000087ff800000000000000000008fff0000000000000",
                        PgArray.of(List.of(1.5, Double.NaN, Double.NEGATIVE_INFINITY)), "{1.5,NaN,-Infinity}"),
                fixture("'{1.50,NaN,Infinity}'::numeric[]", 1231,
                        "0000000100000000000006a400000003000000010000000c0002000000000002000113880000000800000000c00000000000000800000000d0000020",
                        PgArray.of(List.of(PgNumeric.of(new BigDecimal("1.50")), PgNumeric.Special.NAN, PgNumeric.Special.POSITIVE_INFINITY)),
                        "{1.50,NaN,Infinity}"),
                fixture("'{(1,2),(0,0);(3,3),(2,2)}'::box[] /* ';' between boxes */", 1020,
                        "00000001000000000000025b0000000200000001000000203ff0000000000000400000000000000000000000000000000000000000000000"
                                + "000000204008000000000000400800000000000040000000000000004000000000000000",
                        PgArray.of(List.of(new Box(new Point(1, 2), new Point(0, 0)), new Box(new Point(3, 3), new Point(2, 2)))),
                        "{(1,2),(0,0);(3,3),(2,2)}"),
                fixture("'{\"2024-01-01 00:00:00\",infinity}'::timestamp[]", 1115,
                        "00000001000000000000045a0000000200000001000000080002b0d5d4e94000000000087fffffffffffffff",
                        PgArray.of(List.of(LocalDateTime.of(2024, 1, 1, 0, 0), LocalDateTime.MAX)), "{\"2024-01-01 00:00:00\",infinity}"),
                fixture("'{\"1 day\",\"-1 mons\"}'::interval[]", 1187,
                        "0000000100000000000004a20000000200000001000000100000000000000000000000010000000000000010000000000000000000000000ffffffff",
                        PgArray.of(List.of(PgInterval.of(0, 1, 0), PgInterval.of(-1, 0, 0))), "{\"1 day\",\"-1 mons\"}"),
                fixture("'{\"[1,2)\",empty}'::int4range[]", 3905,
                        "000000010000000000000f4000000002000000010000001102000000040000000100000004000000020000000101",
                        PgArray.of(List.of(PgRange.of(PgRange.Bound.inclusive(1), PgRange.Bound.exclusive(2)), PgRange.empty())),
                        "{\"[1,2)\",empty}"),
                fixture("'{\"{[1,2)}\",\"{}\"}'::int4multirange[]", 6150,
                        "000000010000000000001163000000020000000100000019000000010000001102000000040000000100000004000000020000000400000000",
                        PgArray.of(List.of(List.of(PgRange.of(PgRange.Bound.inclusive(1), PgRange.Bound.exclusive(2))), List.of())),
                        "{\"{[1,2)}\",\"{}\"}"),
                fixture("'{\"ab\",\"c\"}'::char(2)[]", 1014, "0000000100000000000004120000000200000001000000026162000000026320",
                        PgArray.of(List.of("ab", "c ")), "{ab,\"c \"}"),
                fixture("'{\"{\\\"a\\\": 1}\"}'::jsonb[]", 3807, "000000010000000000000eda000000010000000100000009017b2261223a20317d",
                        PgArray.of(List.of("{\"a\": 1}")), "{\"{\\\"a\\\": 1}\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgresValues")
    void decode_postgresSendOutput_givesJavaValueAndPostgresText(String sql, int oid, String hex, Object value, String text) {
        Fixtures.assertFixture(PgCodecs.builtIn(), sql, oid, hex, value, text);
    }

    /**
     * One value of every other built-in array type: decoded, it prints exactly as PostgreSQL printed
     * it. Each value's SQL is its text cast to the type.
     */
    static Stream<Arguments> everyOtherArrayType() {
        return Stream.of(
                printed("bytea[]", 1001, "00000001000000010000001100000002000000010000000200ffffffffff", "{\"\\\\x00ff\",NULL}"),
                printed("uuid[]", 2951, "000000010000000000000b86000000010000000100000010a0eebc999c0b4ef8bb6d6bb9bd380a11",
                        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"),
                printed("inet[]", 1041, "00000001000000000000036500000002000000010000000802180004c0a80001000000140380001000000000000000000000000000000001",
                        "{192.168.0.1/24,::1}"),
                printed("point[]", 1017, "0000000100000000000002580000000100000001000000103ff00000000000004000000000000000", "{\"(1,2)\"}"),
                printed("date[]", 1182, "00000001000000000000043a0000000200000001000000040000223e000000047fffffff", "{2024-01-01,infinity}"),
                printed("time[]", 1183, "00000001000000000000043b0000000200000001000000080000000861c4680000000008000000141dd76000",
                        "{10:00:00,24:00:00}"),
                printed("timestamptz[]", 1185, "0000000100000000000004a00000000100000001000000080002b0d5d4e94000",
                        "{\"2024-01-01 00:00:00+00\"}"),
                printed("int2[]", 1005, "000000010000000000000015000000020000000100000002000100000002ffff", "{1,-1}"),
                printed("float4[]", 1021, "0000000100000000000002bc0000000100000001000000043fc00000", "{1.5}"),
                printed("money[]", 791, "0000000100000000000003160000000100000001000000080000000000000096", "{$1.50}"),
                printed("varchar[]", 1015, "0000000100000000000004130000000200000001000000016100000003622063", "{a,\"b c\"}"),
                printed("name[]", 1003, "00000001000000000000001300000001000000010000000161", "{a}"),
                printed("\"char\"[]", 1002, "00000001000000000000001200000001000000010000000161", "{a}"),
                printed("json[]", 199, "0000000100000000000000720000000100000001000000055b312c325d", "{\"[1,2]\"}"),
                printed("xml[]", 143, "00000001000000000000008e0000000100000001000000043c612f3e", "{<a/>}"),
                printed("bit(3)[]", 1561, "00000001000000000000061800000001000000010000000500000003a0", "{101}"),
                printed("varbit[]", 1563, "00000001000000000000061a00000002000000010000000500000001800000000400000000", "{1,\"\"}"),
                printed("macaddr[]", 1040, "00000001000000000000033d00000001000000010000000608002b010203", "{08:00:2b:01:02:03}"),
                printed("macaddr8[]", 775, "00000001000000000000030600000001000000010000000808002b0102030405", "{08:00:2b:01:02:03:04:05}"),
                printed("cidr[]", 651, "00000001000000000000028a000000010000000100000008020801040a000000", "{10.0.0.0/8}"),
                printed("timetz[]", 1270, "0000000100000000000004f200000001000000010000000c0000000a0eebb000fffff1f0", "{12:00:00+01}"),
                printed("oid[]", 1028, "00000001000000000000001a0000000100000001000000040000002a", "{42}"),
                printed("line[]", 629, "0000000100000000000002740000000100000001000000183ff000000000000040000000000000004008000000000000",
                        "{\"{1,2,3}\"}"),
                printed("lseg[]", 1018, "000000010000000000000259000000010000000100000020000000000000000000000000000000003ff00000000000003ff0000000000000",
                        "{\"[(0,0),(1,1)]\"}"),
                printed("path[]", 1019,
                        "00000001000000000000025a0000000100000001000000250000000002000000000000000000000000000000003ff00000000000003ff0000000000000",
                        "{\"[(0,0),(1,1)]\"}"),
                printed("polygon[]", 1027,
                        "00000001000000000000025c00000001000000010000003400000003000000000000000000000000000000003ff0000000000000"
                                + "3ff00000000000003ff00000000000000000000000000000",
                        "{\"((0,0),(1,1),(1,0))\"}"),
                printed("circle[]", 719, "0000000100000000000002ce0000000100000001000000183ff000000000000040000000000000004008000000000000",
                        "{\"<(1,2),3>\"}"),
                printed("tsvector[]", 3643, "000000010000000000000e1e00000001000000010000000a00000001610000010001", "{'a':1}"),
                printed("pg_lsn[]", 3221, "000000010000000000000c940000000100000001000000080000000000000001", "{0/1}"),
                printed("jsonpath[]", 4073, "000000010000000000000fe800000001000000010000000601242e226122", "{\"$.\\\"a\\\"\"}"),
                printed("int8range[]", 3927, "000000010000000000000f5600000001000000010000001902000000080000000000000001000000080000000000000002",
                        "{\"[1,2)\"}"),
                printed("numrange[]", 3907, "000000010000000000000f4200000001000000010000001d020000000a000100000000000000010000000a00010000000000000002",
                        "{\"[1,2)\"}"),
                printed("daterange[]", 3913, "000000010000000000000f4800000001000000010000001102000000040000223e000000040000223f",
                        "{\"[2024-01-01,2024-01-02)\"}"),
                printed("tsrange[]", 3909, "000000010000000000000f4400000001000000010000000d12000000080002b0d5d4e94000",
                        "{\"[\\\"2024-01-01 00:00:00\\\",)\"}"),
                printed("tstzrange[]", 3911, "000000010000000000000f4600000001000000010000000d12000000080002b0d5d4e94000",
                        "{\"[\\\"2024-01-01 00:00:00+00\\\",)\"}"),
                printed("int8multirange[]", 6157,
                        "0000000100000000000011b8000000010000000100000021000000010000001902000000080000000000000001000000080000000000000002",
                        "{\"{[1,2)}\"}"),
                printed("nummultirange[]", 6151,
                        "0000000100000000000011b4000000010000000100000025000000010000001d020000000a000100000000000000010000000a00010000000000000002",
                        "{\"{[1,2)}\"}"),
                printed("datemultirange[]", 6155,
                        "0000000100000000000011b7000000010000000100000019000000010000001102000000040000223e000000040000223f",
                        "{\"{[2024-01-01,2024-01-02)}\"}"),
                printed("tsmultirange[]", 6152, "0000000100000000000011b5000000010000000100000015000000010000000d12000000080002b0d5d4e94000",
                        "{\"{[\\\"2024-01-01 00:00:00\\\",)}\"}"),
                printed("tstzmultirange[]", 6153, "0000000100000000000011b6000000010000000100000015000000010000000d12000000080002b0d5d4e94000",
                        "{\"{[\\\"2024-01-01 00:00:00+00\\\",)}\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyOtherArrayType")
    void decode_everyBuiltInArrayType_printsAsPostgresDid(String sql, int oid, String hex, String text) {
        Object decoded = PgCodecs.builtIn().decode(oid, Fixtures.bytes(hex));
        assertEquals(text, PgCodecs.builtIn().toText(oid, decoded), sql);
    }

    /** A fixture checked by its text only: {@code text} cast to {@code type} is its SQL. */
    private static Arguments printed(String type, int oid, String hex, String text) {
        return Arguments.of("'" + text.replace("'", "''") + "'::" + type, oid, hex, text);
    }

    @Test
    void toNestedList_multiDimensional_nestsPerDimension() {
        PgArray<Integer> array = new PgArray<>(List.of(new Dimension(2, 0), new Dimension(3, 1)), Arrays.asList(1, 2, 3, 4, null, 6));
        assertEquals(List.of(List.of(1, 2, 3), Arrays.asList(4, null, 6)), array.toNestedList());
        assertEquals(List.of(), PgArray.empty().toNestedList());
    }
}
