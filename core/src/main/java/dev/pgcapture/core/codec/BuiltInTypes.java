package dev.pgcapture.core.codec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in types with a codec, by OID, with their array types and the range and multirange
 * types. OIDs below 16384 are assigned by {@code initdb} and are the same in every database.
 * The anonymous {@code record} and {@code record[]} are not here: their codecs look types up in a
 * registry, so each {@link PgCodecs} makes its own.
 */
final class BuiltInTypes {

    /** {@code {element OID, array OID}} of every built-in type with a codec. */
    private static final int[][] ARRAYS = {
        {16, 1000}, {17, 1001}, {18, 1002}, {19, 1003}, {20, 1016}, {21, 1005}, {23, 1007}, {25, 1009}, {26, 1028},
        {114, 199}, {142, 143}, {600, 1017}, {601, 1018}, {602, 1019}, {603, 1020}, {604, 1027}, {628, 629},
        {650, 651}, {700, 1021}, {701, 1022}, {718, 719}, {774, 775}, {790, 791}, {829, 1040}, {869, 1041},
        {1042, 1014}, {1043, 1015}, {1082, 1182}, {1083, 1183}, {1114, 1115}, {1184, 1185}, {1186, 1187},
        {1266, 1270}, {1560, 1561}, {1562, 1563}, {1700, 1231}, {2950, 2951}, {3220, 3221}, {3614, 3643},
        {3802, 3807}, {4072, 4073},
        {3904, 3905}, {3906, 3907}, {3908, 3909}, {3910, 3911}, {3912, 3913}, {3926, 3927},
        {4451, 6150}, {4532, 6151}, {4533, 6152}, {4534, 6153}, {4535, 6155}, {4536, 6157},
    };

    /** {@code {range OID, subtype OID}} (pg_range). */
    private static final int[][] RANGES = {
        {3904, 23}, {3906, 1700}, {3908, 1114}, {3910, 1184}, {3912, 1082}, {3926, 20},
    };
    private static final String[] RANGE_NAMES = {"int4range", "numrange", "tsrange", "tstzrange", "daterange", "int8range"};

    /** {@code {multirange OID, range OID}} (pg_range.rngmultitypid). */
    private static final int[][] MULTIRANGES = {
        {4451, 3904}, {4532, 3906}, {4533, 3908}, {4534, 3910}, {4535, 3912}, {4536, 3926},
    };
    private static final String[] MULTIRANGE_NAMES = {
        "int4multirange", "nummultirange", "tsmultirange", "tstzmultirange", "datemultirange", "int8multirange",
    };

    /** The array type OID of {@code record}; its element is {@link ArrayCodecs#RECORD_OID}. */
    static final int RECORD_ARRAY_OID = 2287;

    private BuiltInTypes() {
    }

    /** Every built-in codec but {@code record} and {@code record[]}, by OID. */
    static Map<Integer, Codec<?>> codecs() {
        Map<Integer, Codec<?>> codecs = new HashMap<>();
        for (List<Codec<?>> group : List.of(NumberCodecs.all(), TextCodecs.all(), DateTimeCodecs.all(), NetworkCodecs.all(),
                GeometryCodecs.all())) {
            group.forEach(codec -> add(codecs, codec));
        }
        for (int i = 0; i < RANGES.length; i++) {
            add(codecs, RangeCodecs.range(RANGES[i][0], RANGE_NAMES[i], codecs.get(RANGES[i][1])));
        }
        for (int i = 0; i < MULTIRANGES.length; i++) {
            add(codecs, RangeCodecs.multirange(MULTIRANGES[i][0], MULTIRANGE_NAMES[i], codecs.get(MULTIRANGES[i][1])));
        }
        for (int[] array : ARRAYS) {
            Codec<?> element = codecs.get(array[0]);
            add(codecs, ArrayCodecs.of(array[1], element.typeName() + "[]", element, oid -> {
                throw new IllegalStateException("arrays of " + element.typeName() + " look up no types");
            }));
        }
        return Map.copyOf(codecs);
    }

    private static void add(Map<Integer, Codec<?>> codecs, Codec<?> codec) {
        if (codecs.putIfAbsent(codec.oid(), codec) != null) {
            throw new IllegalStateException("two built-in codecs for OID " + codec.oid());
        }
    }
}
