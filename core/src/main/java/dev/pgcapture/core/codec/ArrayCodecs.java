package dev.pgcapture.core.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Arrays ({@code array_send}): dimension count, has-nulls flag, element type OID, then per
 * dimension its length and lower bound, then each element with its length (-1 for NULL), in
 * row-major order. The text form nests braces per dimension and starts with the bounds
 * ({@code [2:3]={...}}) when any lower bound is not 1.
 */
final class ArrayCodecs {

    static final int RECORD_OID = 2249;

    private ArrayCodecs() {
    }

    /**
     * The codec of arrays of {@code element}. Elements of anonymous records ({@code record[]})
     * are decoded by the composite type the value names, found through {@code resolver}.
     */
    static Codec<PgArray<?>> of(int oid, String name, Codec<?> element, IntFunction<Codec<?>> resolver) {
        return new Codec<PgArray<?>>(oid, name, Codec.generic(PgArray.class), in -> read(in, element, resolver),
                array -> text(array, element)).madeOf(element.oid());
    }

    private static PgArray<?> read(ByteBuffer in, Codec<?> element, IntFunction<Codec<?>> resolver) {
        int dimensionCount = in.getInt();
        int flags = in.getInt();
        int elementOid = in.getInt();
        if (dimensionCount < 0 || dimensionCount > PgArray.MAX_DIMENSIONS) {
            throw new Codec.BadValue("array has " + dimensionCount + " dimensions, PostgreSQL allows 0 to " + PgArray.MAX_DIMENSIONS);
        }
        if (flags != 0 && flags != 1) {
            throw new Codec.BadValue("array flags are " + flags + ", not 0 or 1");
        }
        Codec<?> codec = element;
        if (element.oid() == RECORD_OID) {
            codec = resolver.apply(elementOid);
        } else if (elementOid != element.oid()) {
            throw new Codec.BadValue("array elements are of type OID " + Integer.toUnsignedString(elementOid) + ", expected "
                    + element.typeName() + " (OID " + Integer.toUnsignedString(element.oid()) + ")");
        }
        if (dimensionCount == 0) {
            return PgArray.empty();
        }
        List<PgArray.Dimension> dimensions = new ArrayList<>(dimensionCount);
        long count = 1;
        for (int i = 0; i < dimensionCount; i++) {
            int length = in.getInt();
            int lowerBound = in.getInt();
            dimensions.add(new PgArray.Dimension(length, lowerBound));
            count *= length;
        }
        if (count * 4 > in.remaining()) {
            throw new Codec.BadValue("array dimensions " + dimensions + " hold " + count + " elements, more than the "
                    + in.remaining() + " bytes that follow can");
        }
        List<Object> elements = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            ByteBuffer value = Bytes.lengthPrefixed(in, true, "element " + (i + 1));
            if (value == null && flags == 0) {
                throw new Codec.BadValue("element " + (i + 1) + " is NULL but the array's has-nulls flag is 0");
            }
            elements.add(value == null ? null : codec.decodeNested(value, "element " + (i + 1)));
        }
        return new PgArray<>(dimensions, elements);
    }

    private static String text(PgArray<?> array, Codec<?> element) {
        if (array.isEmpty()) {
            return "{}";
        }
        StringBuilder out = new StringBuilder();
        List<PgArray.Dimension> dimensions = array.dimensions();
        if (dimensions.stream().anyMatch(d -> d.lowerBound() != 1)) {
            for (PgArray.Dimension d : dimensions) {
                out.append('[').append(d.lowerBound()).append(':').append(d.upperBound()).append(']');
            }
            out.append('=');
        }
        appendLevel(out, array, element, 0, 0);
        return out.toString();
    }

    /** Writes dimension {@code level} starting at element {@code offset}; returns the next offset. */
    private static int appendLevel(StringBuilder out, PgArray<?> array, Codec<?> element, int level, int offset) {
        int length = array.dimensions().get(level).length();
        boolean innermost = level == array.dimensions().size() - 1;
        char delimiter = element.delimiter();
        out.append('{');
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                out.append(delimiter);
            }
            if (innermost) {
                Object value = array.elements().get(offset++);
                if (value == null) {
                    out.append("NULL");
                } else {
                    TextQuoting.arrayElement(out, element.textOf(value), delimiter);
                }
            } else {
                offset = appendLevel(out, array, element, level + 1, offset);
            }
        }
        out.append('}');
        return offset;
    }
}
