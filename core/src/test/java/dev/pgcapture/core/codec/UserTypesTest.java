package dev.pgcapture.core.codec;

import static dev.pgcapture.core.codec.Fixtures.fixture;
import static dev.pgcapture.core.codec.PgRange.Bound.exclusive;
import static dev.pgcapture.core.codec.PgRange.Bound.inclusive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.core.codec.PgComposite.Attribute;
import dev.pgcapture.core.codec.PgGeometry.Box;
import dev.pgcapture.core.codec.PgGeometry.Point;
import dev.pgcapture.proto.TypeAttribute;
import dev.pgcapture.proto.TypeDescription;
import dev.pgcapture.proto.TypeDescription.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * User types decoded through type descriptions, and the anonymous {@code record}. The fixtures
 * come from a database with the types of {@link #CREATE_TYPES}, created in that order.
 */
class UserTypesTest {

    /** The user types of the fixtures. */
    static final List<String> CREATE_TYPES = List.of(
            "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'très bien')",
            "CREATE TYPE pair AS (n int, m mood, ms mood[], t text)",
            "CREATE DOMAIN posint AS int CHECK (VALUE > 0)",
            "CREATE DOMAIN moods AS mood[]",
            "CREATE TYPE floatrange AS RANGE (subtype = float8)",
            "CREATE TYPE pairrange AS RANGE (subtype = pair)",
            "CREATE DOMAIN boxd AS box");

    static final int MOOD = 16390;
    static final int MOOD_ARRAY = 16389;
    static final int PAIR = 16401;
    static final int PAIR_ARRAY = 16400;
    static final int POSINT = 16403;
    static final int POSINT_ARRAY = 16402;
    static final int MOODS = 16406;
    static final int FLOATRANGE = 16410;
    static final int FLOATMULTIRANGE = 16408;
    static final int PAIRRANGE = 16420;
    static final int BOXD_ARRAY = 16427;
    static final int BOXD = 16428;

    /** What DescribeTypes answers for these types, with every type they are made of. */
    static final List<TypeDescription> DESCRIPTIONS = List.of(
            type(MOOD, "mood", Kind.ENUM).addAllLabels(List.of("sad", "ok", "happy", "très bien")).build(),
            type(MOOD_ARRAY, "_mood", Kind.ARRAY).setElementOid(MOOD).setSqlName("mood[]").build(),
            type(PAIR, "pair", Kind.COMPOSITE).addAttributes(attribute("n", 23)).addAttributes(attribute("m", MOOD))
                    .addAttributes(attribute("ms", MOOD_ARRAY)).addAttributes(attribute("t", 25)).build(),
            type(PAIR_ARRAY, "_pair", Kind.ARRAY).setElementOid(PAIR).setSqlName("pair[]").build(),
            type(POSINT, "posint", Kind.DOMAIN).setBaseOid(23).build(),
            type(POSINT_ARRAY, "_posint", Kind.ARRAY).setElementOid(POSINT).setSqlName("posint[]").build(),
            type(MOODS, "moods", Kind.DOMAIN).setBaseOid(MOOD_ARRAY).build(),
            type(FLOATRANGE, "floatrange", Kind.RANGE).setElementOid(701).build(),
            type(FLOATMULTIRANGE, "floatmultirange", Kind.MULTIRANGE).setElementOid(FLOATRANGE).build(),
            type(PAIRRANGE, "pairrange", Kind.RANGE).setElementOid(PAIR).build(),
            type(BOXD, "boxd", Kind.DOMAIN).setBaseOid(603).build(),
            type(BOXD_ARRAY, "_boxd", Kind.ARRAY).setElementOid(BOXD).setSqlName("boxd[]").build());

    static final PgCodecs CODECS = PgCodecs.builtIn().with(DESCRIPTIONS);

    static Stream<Arguments> postgresValues() {
        return Stream.of(
                fixture("'happy'::mood", MOOD, "6861707079", "happy", "happy"),
                fixture("'très bien'::mood", MOOD, "7472c3a873206269656e", "très bien", "très bien"),
                fixture("'{sad,NULL,\"très bien\"}'::mood[]", MOOD_ARRAY,
                        "000000010000000100004006000000030000000100000003736164ffffffff0000000a7472c3a873206269656e",
                        PgArray.of(Arrays.asList("sad", null, "très bien")), "{sad,NULL,\"très bien\"}"),
                fixture("ROW(1, 'ok', '{ok,sad}', 'a \"q\" b')::pair", PAIR,
                        "0000000400000017000000040000000100004006000000026f6b00004005000000210000000100000000000040060000000200000001"
                                + "000000026f6b00000003736164000000190000000761202271222062",
                        pair(1, "ok", PgArray.of(List.of("ok", "sad")), "a \"q\" b"), "(1,ok,\"{ok,sad}\",\"a \"\"q\"\" b\")"),
                fixture("ROW(NULL, NULL, NULL, '')::pair", PAIR, "0000000400000017ffffffff00004006ffffffff00004005ffffffff0000001900000000",
                        pair(null, null, null, ""), "(,,,\"\")"),
                fixture("ARRAY[ROW(2, 'sad', '{happy}', NULL)::pair, NULL]", PAIR_ARRAY,
                        "000000010000000100004011000000020000000100000048000000040000001700000004000000020000400600000003736164"
                                + "000040050000001d000000010000000000004006000000010000000100000005686170707900000019ffffffffffffffff",
                        PgArray.of(Arrays.asList(pair(2, "sad", PgArray.of(List.of("happy")), null), null)),
                        "{\"(2,sad,{happy},)\",NULL}"),
                fixture("5::posint", POSINT, "00000005", 5, "5"),
                fixture("'{1,NULL}'::posint[]", POSINT_ARRAY, "00000001000000010000401300000002000000010000000400000001ffffffff",
                        PgArray.of(Arrays.asList(1, null)), "{1,NULL}"),
                fixture("'{happy,NULL}'::moods", MOODS, "0000000100000001000040060000000200000001000000056861707079ffffffff",
                        PgArray.of(Arrays.asList("happy", null)), "{happy,NULL}"),
                fixture("'[1.5,2.5)'::floatrange", FLOATRANGE, "02000000083ff8000000000000000000084004000000000000",
                        PgRange.of(inclusive(1.5), exclusive(2.5)), "[1.5,2.5)"),
                fixture("'empty'::floatrange", FLOATRANGE, "01", PgRange.empty(), "empty"),
                fixture("'{[1,2),[3,4)}'::floatmultirange", FLOATMULTIRANGE,
                        "000000020000001902000000083ff00000000000000000000840000000000000000000001902000000084008000000000000000000084010000000000000",
                        List.of(PgRange.of(inclusive(1.0), exclusive(2.0)), PgRange.of(inclusive(3.0), exclusive(4.0))), "{[1,2),[3,4)}"),
                fixture("pairrange(ROW(1, 'sad', '{}', 'x')::pair, ROW(2, 'ok', '{sad}', 'y z')::pair)", PAIRRANGE,
                        "0200000038000000040000001700000004000000010000400600000003736164000040050000000c00000000000000000000400600000019"
                                + "0000000178000000480000000400000017000000040000000200004006000000026f6b000040050000001b0000000100000000000040060000"
                                + "00010000000100000003736164000000190000000379207a",
                        PgRange.of(inclusive(pair(1, "sad", PgArray.empty(), "x")), exclusive(pair(2, "ok", PgArray.of(List.of("sad")), "y z"))),
                        "[\"(1,sad,{},x)\",\"(2,ok,{sad},\"\"y z\"\")\")"),
                fixture("'{(1,2),(0,0);(3,3),(2,2)}'::boxd[] /* a domain over box keeps ';' */", BOXD_ARRAY,
                        "00000001000000000000402c0000000200000001000000203ff000000000000040000000000000000000000000000000000000000000000000000020"
                                + "4008000000000000400800000000000040000000000000004000000000000000",
                        PgArray.of(List.of(new Box(new Point(1, 2), new Point(0, 0)), new Box(new Point(3, 3), new Point(2, 2)))),
                        "{(1,2),(0,0);(3,3),(2,2)}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgresValues")
    void decode_describedUserType_givesJavaValueAndPostgresText(String sql, int oid, String hex, Object value, String text) {
        Fixtures.assertFixture(CODECS, sql, oid, hex, value, text);
    }

    /** Anonymous records: their attributes are named f1 to fn, and string literals are of type unknown (705). */
    static Stream<Arguments> anonymousRecords() {
        return Stream.of(
                fixture("ROW(1, 'a b', NULL, '', 'x\"y', 'back\\slash', '(paren)')", 2249,
                        "00000007000000170000000400000001000002c100000003612062000002c1ffffffff000002c100000000000002c1000000037822"
                                + "79000002c10000000a6261636b5c736c617368000002c10000000728706172656e29",
                        new PgComposite(List.of(new Attribute("f1", 23, 1), new Attribute("f2", 705, "a b"), new Attribute("f3", 705, null),
                                new Attribute("f4", 705, ""), new Attribute("f5", 705, "x\"y"), new Attribute("f6", 705, "back\\slash"),
                                new Attribute("f7", 705, "(paren)"))),
                        "(1,\"a b\",,\"\",\"x\"\"y\",\"back\\\\slash\",\"(paren)\")"),
                fixture("ARRAY[ROW(1, 'x'), ROW(2, NULL)]", 2287,
                        "0000000100000000000008c900000002000000010000001900000002000000170000000400000001000002c100000001780000001800000002"
                                + "000000170000000400000002000002c1ffffffff",
                        PgArray.of(List.of(new PgComposite(List.of(new Attribute("f1", 23, 1), new Attribute("f2", 705, "x"))),
                                new PgComposite(List.of(new Attribute("f1", 23, 2), new Attribute("f2", 705, null))))),
                        "{\"(1,x)\",\"(2,)\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anonymousRecords")
    void decode_anonymousRecord_namesAttributesF1ToFn(String sql, int oid, String hex, Object value, String text) {
        Fixtures.assertFixture(PgCodecs.builtIn(), sql, oid, hex, value, text);
    }

    @Test
    void get_byName_givesTheAttributeOrListsThoseThereAre() {
        PgComposite pair = pair(1, "ok", null, "t");
        assertEquals("ok", pair.get("m"));
        assertEquals(null, pair.get("ms"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pair.get("x"));
        assertEquals("no attribute \"x\" in composite value with attributes [n, m, ms, t]", e.getMessage());
    }

    @Test
    void decode_compositeWithoutItsDescription_keepsTheBytes() {
        Object value = PgCodecs.builtIn().decode(PAIR, Fixtures.bytes("0000000400000017ffffffff00004006ffffffff00004005ffffffff0000001900000000"));
        assertEquals(new PgUndecoded.Binary(PAIR, Fixtures.bytes("0000000400000017ffffffff00004006ffffffff00004005ffffffff0000001900000000").array()),
                value);
    }

    @Test
    void with_domainWithoutBaseType_isRefusedNamingIt() {
        TypeDescription broken = type(POSINT, "posint", Kind.DOMAIN).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgCodecs.builtIn().with(List.of(broken)));
        assertEquals("domain type public.posint (OID 16403) has no base_oid", e.getMessage());
    }

    @Test
    void with_circularDescriptions_isRefusedNamingTheType() {
        List<TypeDescription> circular = List.of(type(1_000_001, "a", Kind.DOMAIN).setBaseOid(1_000_002).build(),
                type(1_000_002, "b", Kind.DOMAIN).setBaseOid(1_000_001).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgCodecs.builtIn().with(circular));
        assertEquals("type descriptions are circular: public.a (OID 1000001) -> public.b (OID 1000002) -> public.a (OID 1000001)", e.getMessage());
    }

    @Test
    void with_laterDescription_replacesTheEarlierOne() {
        PgCodecs first = PgCodecs.builtIn().with(List.of(type(POSINT, "posint", Kind.DOMAIN).setBaseOid(21).build()));
        PgCodecs second = first.with(List.of(type(POSINT, "posint", Kind.DOMAIN).setBaseOid(23).build()));
        assertEquals(Short.class, first.forOid(POSINT).javaType());
        assertEquals(Integer.class, second.forOid(POSINT).javaType());
    }

    static PgComposite pair(Integer n, String m, PgArray<String> ms, String t) {
        return new PgComposite(List.of(new Attribute("n", 23, n), new Attribute("m", MOOD, m), new Attribute("ms", MOOD_ARRAY, ms),
                new Attribute("t", 25, t)));
    }

    static TypeDescription.Builder type(int oid, String name, Kind kind) {
        return TypeDescription.newBuilder().setOid(oid).setSchema("public").setName(name).setKind(kind);
    }

    private static TypeAttribute attribute(String name, int oid) {
        return TypeAttribute.newBuilder().setName(name).setOid(oid).build();
    }
}
