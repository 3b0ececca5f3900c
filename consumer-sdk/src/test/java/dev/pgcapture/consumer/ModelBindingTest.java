package dev.pgcapture.consumer;

import static dev.pgcapture.consumer.Rows.row;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pgcapture.core.codec.PgArray;
import dev.pgcapture.core.codec.PgComposite;
import dev.pgcapture.core.codec.PgComposite.Attribute;
import dev.pgcapture.core.codec.PgGeometry;
import dev.pgcapture.core.codec.PgInet;
import dev.pgcapture.core.codec.PgInterval;
import dev.pgcapture.core.codec.PgNumeric;
import dev.pgcapture.core.codec.PgRange;
import dev.pgcapture.core.codec.PgUndecoded;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pairing of {@link PgValue}'s table: a value decoded from PostgreSQL's binary form binds
 * to each Java type the table lists for its type. Each case binds a row holding only the one
 * column of its member (the others are absent, so they bind to null or 0).
 */
class ModelBindingTest {

    enum Mood { sad, ok, happy }

    record Pair(@PgColumn("n") Integer n, @PgColumn("m") Mood m, @PgColumn("ms") List<Mood> ms, @PgColumn("t") String t) {
    }

    /** One member per binding; each column is named as its member. */
    @PgTable(name = "all_types")
    record All(
            @PgColumn("boolToBoolean") boolean boolToBoolean,
            @PgColumn("boolToBoxed") Boolean boolToBoxed,
            @PgColumn("int2ToShort") short int2ToShort,
            @PgColumn("int2ToInt") int int2ToInt,
            @PgColumn("int2ToLong") long int2ToLong,
            @PgColumn("int2ToInteger") Integer int2ToInteger,
            @PgColumn("int4ToInt") int int4ToInt,
            @PgColumn("int4ToLong") Long int4ToLong,
            @PgColumn("int8ToLong") long int8ToLong,
            @PgColumn("oidToLong") long oidToLong,
            @PgColumn("float4ToFloat") float float4ToFloat,
            @PgColumn("float4ToDouble") double float4ToDouble,
            @PgColumn("float8ToDouble") Double float8ToDouble,
            @PgColumn("numericToBigDecimal") BigDecimal numericToBigDecimal,
            @PgColumn("numericToPgNumeric") PgNumeric numericToPgNumeric,
            @PgColumn("moneyToBigDecimal") BigDecimal moneyToBigDecimal,
            @PgColumn("moneyToPgNumeric") PgNumeric moneyToPgNumeric,
            @PgColumn("textToString") String textToString,
            @PgColumn("enumToJavaEnum") Mood enumToJavaEnum,
            @PgColumn("byteaToBytes") byte[] byteaToBytes,
            @PgColumn("uuidToUuid") UUID uuidToUuid,
            @PgColumn("dateToLocalDate") LocalDate dateToLocalDate,
            @PgColumn("timeToLocalTime") LocalTime timeToLocalTime,
            @PgColumn("timetzToOffsetTime") OffsetTime timetzToOffsetTime,
            @PgColumn("timestampToLocalDateTime") LocalDateTime timestampToLocalDateTime,
            @PgColumn("timestamptzToOffsetDateTime") OffsetDateTime timestamptzToOffsetDateTime,
            @PgColumn("timestamptzToInstant") Instant timestamptzToInstant,
            @PgColumn("intervalToPgInterval") PgInterval intervalToPgInterval,
            @PgColumn("inetToPgInet") PgInet inetToPgInet,
            @PgColumn("inetToInetAddress") InetAddress inetToInetAddress,
            @PgColumn("pointToPoint") PgGeometry.Point pointToPoint,
            @PgColumn("pointToGeometry") PgGeometry pointToGeometry,
            @PgColumn("int4ArrayToList") List<Integer> int4ArrayToList,
            @PgColumn("int4ArrayToArray") Integer[] int4ArrayToArray,
            @PgColumn("int4ArrayToLongs") List<Long> int4ArrayToLongs,
            @PgColumn("int4ArrayToStrings") List<String> int4ArrayToStrings,
            @PgColumn("int4ArrayToPgArray") PgArray<Integer> int4ArrayToPgArray,
            @PgColumn("int4ArrayToAnyPgArray") PgArray<?> int4ArrayToAnyPgArray,
            @PgColumn("int4Array2dToLists") List<List<Integer>> int4Array2dToLists,
            @PgColumn("int4Array2dToArrays") Integer[][] int4Array2dToArrays,
            @PgColumn("moodArrayToEnums") List<Mood> moodArrayToEnums,
            @PgColumn("int4rangeToRange") PgRange<Integer> int4rangeToRange,
            @PgColumn("tstzrangeToInstants") PgRange<Instant> tstzrangeToInstants,
            @PgColumn("multirangeToList") List<PgRange<Long>> multirangeToList,
            @PgColumn("pairToRecord") Pair pairToRecord,
            @PgColumn("pairToPgComposite") PgComposite pairToPgComposite,
            @PgColumn("pairArrayToRecords") List<Pair> pairArrayToRecords,
            @PgColumn("anyToString") String anyToString,
            @PgColumn("anyToObject") Object anyToObject) {
    }

    private static final ModelType<All> ALL = ModelType.of(All.class);

    static Stream<Arguments> bindings() {
        return Stream.of(
                arguments("boolToBoolean", 16, "01", true),
                arguments("boolToBoxed", 16, "00", false),
                arguments("int2ToShort", 21, "7fff", Short.MAX_VALUE),
                arguments("int2ToInt", 21, "8000", -32768),
                arguments("int2ToLong", 21, "7fff", 32767L),
                arguments("int2ToInteger", 21, "7fff", 32767),
                arguments("int4ToInt", 23, "0000002a", 42),
                arguments("int4ToLong", 23, "80000000", -2147483648L),
                arguments("int8ToLong", 20, "7fffffffffffffff", Long.MAX_VALUE),
                arguments("oidToLong", 26, "ffffffff", 4294967295L),
                arguments("float4ToFloat", 700, "3fc00000", 1.5f),
                arguments("float4ToDouble", 700, "3dcccccd", (double) 0.1f),
                arguments("float8ToDouble", 701, "3fb999999999999a", 0.1),
                arguments("float8ToDouble", 701, "7ff8000000000000", Double.NaN),
                arguments("numericToBigDecimal", 1700, "000200000000000200011388", new BigDecimal("1.50")),
                arguments("numericToBigDecimal", 1700, "0001fffe000000080001", new BigDecimal("0.00000001")),
                arguments("numericToPgNumeric", 1700, "000200000000000200011388", PgNumeric.of(new BigDecimal("1.50"))),
                arguments("numericToPgNumeric", 1700, "00000000c0000000", PgNumeric.Special.NAN),
                arguments("moneyToBigDecimal", 790, "fffffffff8a432eb", new BigDecimal("-1234567.89")),
                arguments("moneyToPgNumeric", 790, "fffffffff8a432eb", PgNumeric.of(new BigDecimal("-1234567.89"))),
                arguments("textToString", 25, "68656c6c6f", "hello"),
                arguments("textToString", 1043, "6162", "ab"),
                arguments("textToString", 1042, "61622020", "ab  "),
                arguments("textToString", 19, "70675f636c617373", "pg_class"),
                arguments("textToString", 18, "61", "a"),
                arguments("textToString", 114, "7b2262223a20312c202261223a205b747275652c206e756c6c5d7d", "{\"b\": 1, \"a\": [true, null]}"),
                arguments("textToString", 3802, "017b2261223a205b747275652c206e756c6c2c2022c3bc225d2c202262223a20317d",
                        "{\"a\": [true, null, \"ü\"], \"b\": 1}"),
                arguments("textToString", 142, "3c613e623c2f613e", "<a>b</a>"),
                arguments("textToString", Rows.MOOD, "6861707079", "happy"),
                arguments("enumToJavaEnum", Rows.MOOD, "6861707079", Mood.happy),
                arguments("byteaToBytes", 17, "00ff10", new byte[] {0, -1, 16}),
                arguments("uuidToUuid", 2950, "a0eebc999c0b4ef8bb6d6bb9bd380a11", UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
                arguments("dateToLocalDate", 1082, "00002279", LocalDate.of(2024, 2, 29)),
                arguments("dateToLocalDate", 1082, "7fffffff", LocalDate.MAX),
                arguments("timeToLocalTime", 1083, "0000000a8be62608", LocalTime.of(12, 34, 56, 789_000_000)),
                arguments("timetzToOffsetTime", 1266, "0000000a8be62608ffffb2a8",
                        OffsetTime.of(12, 34, 56, 789_000_000, ZoneOffset.ofHoursMinutes(5, 30))),
                arguments("timestampToLocalDateTime", 1114, "0002b58341685e40", LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000)),
                arguments("timestamptzToOffsetDateTime", 1184, "0002b5819446d520",
                        OffsetDateTime.of(2024, 2, 29, 10, 34, 56, 500_000_000, ZoneOffset.UTC)),
                arguments("timestamptzToInstant", 1184, "0002b5819446d520", Instant.parse("2024-02-29T10:34:56.5Z")),
                arguments("timestamptzToInstant", 1184, "7fffffffffffffff", Instant.MAX),
                arguments("timestamptzToInstant", 1184, "8000000000000000", Instant.MIN),
                arguments("intervalToPgInterval", 1186, "00000000000000000000000100000000", PgInterval.of(0, 1, 0)),
                arguments("inetToPgInet", 869, "02180004c0a80001", new PgInet(address("192.168.0.1"), 24)),
                arguments("inetToInetAddress", 869, "02180004c0a80001", address("192.168.0.1")),
                arguments("pointToPoint", 600, "3ff00000000000004000000000000000", new PgGeometry.Point(1, 2)),
                arguments("pointToGeometry", 600, "3ff00000000000004000000000000000", new PgGeometry.Point(1, 2)),
                arguments("int4ArrayToList", 1007, Rows.INT4_ARRAY_1_NULL_3, Arrays.asList(1, null, 3)),
                arguments("int4ArrayToList", 1007, "000000000000000000000017", List.of()),
                arguments("int4ArrayToArray", 1007, Rows.INT4_ARRAY_1_NULL_3, new Integer[] {1, null, 3}),
                arguments("int4ArrayToLongs", 1007, Rows.INT4_ARRAY_1_NULL_3, Arrays.asList(1L, null, 3L)),
                arguments("int4ArrayToStrings", 1007, Rows.INT4_ARRAY_1_NULL_3, Arrays.asList("1", null, "3")),
                arguments("int4ArrayToPgArray", 1007, "000000010000000000000017000000020000000200000004000000070000000400000008",
                        new PgArray<>(List.of(new PgArray.Dimension(2, 2)), List.of(7, 8))),
                arguments("int4ArrayToAnyPgArray", 1007, Rows.INT4_ARRAY_1_NULL_3, PgArray.of(Arrays.asList(1, null, 3))),
                arguments("int4Array2dToLists", 1007, Rows.INT4_ARRAY_2D, List.of(List.of(1, 2), Arrays.asList(3, null))),
                arguments("int4Array2dToArrays", 1007, Rows.INT4_ARRAY_2D, new Integer[][] {{1, 2}, {3, null}}),
                arguments("moodArrayToEnums", Rows.MOOD_ARRAY,
                        "000000010000000100004006000000030000000100000003736164ffffffff000000026f6b",
                        Arrays.asList(Mood.sad, null, Mood.ok)),
                arguments("int4rangeToRange", 3904, "0200000004000000010000000400000002",
                        PgRange.of(PgRange.Bound.inclusive(1), PgRange.Bound.exclusive(2))),
                arguments("tstzrangeToInstants", 3910, "12000000080002b0d5d4e94000",
                        PgRange.of(PgRange.Bound.inclusive(Instant.parse("2024-01-01T00:00:00Z")), PgRange.Bound.unbounded())),
                arguments("multirangeToList", 4451, "00000001000000110200000004000000010000000400000002",
                        List.of(PgRange.of(PgRange.Bound.inclusive(1L), PgRange.Bound.exclusive(2L)))),
                arguments("pairToRecord", Rows.PAIR, Rows.PAIR_1_OK, new Pair(1, Mood.ok, List.of(Mood.ok, Mood.sad), "a \"q\" b")),
                arguments("pairToPgComposite", Rows.PAIR, Rows.PAIR_1_OK, new PgComposite(List.of(new Attribute("n", 23, 1),
                        new Attribute("m", Rows.MOOD, "ok"), new Attribute("ms", Rows.MOOD_ARRAY, PgArray.of(List.of("ok", "sad"))),
                        new Attribute("t", 25, "a \"q\" b")))),
                arguments("pairArrayToRecords", Rows.PAIR_ARRAY, Rows.PAIR_ARRAY_2_SAD_NULL,
                        Arrays.asList(new Pair(2, Mood.sad, List.of(Mood.happy), null), null)),
                arguments("anyToString", 23, "0000002a", "42"),
                arguments("anyToString", 1082, "7fffffff", "infinity"),
                arguments("anyToString", 1007, Rows.INT4_ARRAY_1_NULL_3, "{1,NULL,3}"),
                arguments("anyToString", 17, "00ff10", "\\x00ff10"),
                arguments("anyToString", 869, "02180004c0a80001", "192.168.0.1/24"),
                arguments("anyToString", Rows.PAIR, Rows.PAIR_1_OK, "(1,ok,\"{ok,sad}\",\"a \"\"q\"\" b\")"),
                arguments("anyToObject", 23, "0000002a", 42),
                arguments("anyToObject", 1700, "00000000c0000000", PgNumeric.Special.NAN));
    }

    @ParameterizedTest(name = "{0} from type OID {1}: {2}")
    @MethodSource("bindings")
    void bind_valueOfEachPostgresType_givesEachJavaTypeTheTableLists(String member, int oid, String hex, Object expected)
            throws Exception {
        All bound = ALL.bind(row(Rows.column(member, oid, hex)));
        Object actual = All.class.getMethod(member).invoke(bound);
        assertTrue(Objects.deepEquals(expected, actual), () -> member + ": expected " + show(expected) + " but was " + show(actual));
    }

    static Stream<Arguments> textForms() {
        return Stream.of(arguments("anyToString", "(1,2)", "(1,2)"), arguments("textToString", "(1,2)", "(1,2)"),
                arguments("anyToObject", "(1,2)", new PgUndecoded.Text(600, "(1,2)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textForms")
    void bind_valueInTextForm_bindsToStringAndObject(String member, String text, Object expected) throws Exception {
        All bound = ALL.bind(row(Rows.textForm(member, 600, text)));
        assertTrue(Objects.equals(expected, All.class.getMethod(member).invoke(bound)), member);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String show(Object value) {
        return switch (value) {
            case null -> "null";
            case byte[] bytes -> HexFormat.of().formatHex(bytes);
            case Object[] array -> Arrays.deepToString(array);
            default -> value + " (" + value.getClass().getName() + ")";
        };
    }
}
