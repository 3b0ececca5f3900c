package dev.pgcapture.agent.replica;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Rewrites the type OIDs embedded in PostgreSQL binary values ({@code array_send},
 * {@code record_send}, and the arrays and composites inside ranges, multiranges and domains),
 * recursively, from one database's OIDs to another's. Pure: bytes in, bytes out.
 *
 * <p>Built-in types (OID below {@value #FIRST_USER_OID}) are the same in every database and their
 * values embed no user type, so only values of user types are walked. The output has the same
 * length as the input: an OID is four bytes either way.
 */
public final class BinaryOidRewriter {

    /** PostgreSQL's {@code FirstNormalObjectId}: OIDs below it are assigned by initdb. */
    public static final int FIRST_USER_OID = 16384;

    private static final int MAX_DEPTH = 64;
    private static final int MAX_ARRAY_DIMENSIONS = 6;
    private static final int RANGE_EMPTY = 0x01;
    private static final int RANGE_LB_INF = 0x08;
    private static final int RANGE_UB_INF = 0x10;
    private static final int RANGE_LB_NULL = 0x20;
    private static final int RANGE_UB_NULL = 0x40;

    private final IntFunction<TypeShape> shapes;
    private final IntUnaryOperator mapping;

    /**
     * @param shapes the shape of each user type, by the OIDs the input uses; null when unknown
     * @param mapping the OID to write for an OID of the input (applied to user types only)
     */
    public BinaryOidRewriter(IntFunction<TypeShape> shapes, IntUnaryOperator mapping) {
        this.shapes = Objects.requireNonNull(shapes, "shapes");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /** Whether {@code oid} is a user type, whose OID differs between databases. */
    public static boolean isUserType(int oid) {
        return Integer.compareUnsigned(oid, FIRST_USER_OID) >= 0;
    }

    /**
     * The binary value {@code value} of type {@code typeOid} with every embedded type OID mapped;
     * {@code value} itself when the type is built in.
     *
     * @throws IllegalArgumentException when the value is not a well-formed binary value of its type
     */
    public byte[] rewrite(int typeOid, byte[] value) {
        if (!isUserType(typeOid)) {
            return value;
        }
        byte[] out = value.clone();
        ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN);
        int end = walk(typeOid, buffer, 0, out.length, 0);
        if (end != out.length) {
            throw malformed(typeOid, (out.length - end) + " bytes left over");
        }
        return out;
    }

    /** Rewrites the value at {@code [start, start + length)} and returns where it ends. */
    private int walk(int typeOid, ByteBuffer buffer, int start, int length, int depth) {
        if (!isUserType(typeOid)) {
            return start + length;
        }
        if (depth > MAX_DEPTH) {
            throw malformed(typeOid, "nested deeper than " + MAX_DEPTH);
        }
        TypeShape shape = shapes.apply(typeOid);
        if (shape == null) {
            throw new IllegalArgumentException("no description of type OID " + Integer.toUnsignedString(typeOid)
                    + ", whose binary values may embed type OIDs");
        }
        int end = start + length;
        return switch (shape) {
            case TypeShape.Scalar scalar -> end;
            case TypeShape.Domain domain -> walk(domain.base(), buffer, start, length, depth + 1);
            case TypeShape.Array array -> walkArray(typeOid, buffer, start, end, depth);
            case TypeShape.Composite composite -> walkComposite(typeOid, buffer, start, end, depth);
            case TypeShape.Range range -> walkRange(typeOid, range.subtype(), buffer, start, end, depth);
            case TypeShape.Multirange multirange -> walkMultirange(typeOid, multirange.range(), buffer, start, end, depth);
        };
    }

    private int walkArray(int typeOid, ByteBuffer buffer, int start, int end, int depth) {
        int dimensions = readInt(typeOid, buffer, start, end);
        if (dimensions < 0 || dimensions > MAX_ARRAY_DIMENSIONS) {
            throw malformed(typeOid, "an array with " + dimensions + " dimensions");
        }
        int element = readInt(typeOid, buffer, start + 8, end);
        buffer.putInt(start + 8, mapping.applyAsInt(element));
        int position = start + 12;
        long items = dimensions == 0 ? 0 : 1;
        for (int d = 0; d < dimensions; d++) {
            int size = readInt(typeOid, buffer, position, end);
            if (size < 0) {
                throw malformed(typeOid, "an array dimension of size " + size);
            }
            items *= size;
            position += 8; // size and lower bound
        }
        for (long i = 0; i < items; i++) {
            position = walkItem(typeOid, element, buffer, position, end, depth);
        }
        return position;
    }

    private int walkComposite(int typeOid, ByteBuffer buffer, int start, int end, int depth) {
        int attributes = readInt(typeOid, buffer, start, end);
        if (attributes < 0) {
            throw malformed(typeOid, "a composite with " + attributes + " attributes");
        }
        int position = start + 4;
        for (int i = 0; i < attributes; i++) {
            int attributeType = readInt(typeOid, buffer, position, end);
            buffer.putInt(position, mapping.applyAsInt(attributeType));
            position = walkItem(typeOid, attributeType, buffer, position + 4, end, depth);
        }
        return position;
    }

    private int walkRange(int typeOid, int subtype, ByteBuffer buffer, int start, int end, int depth) {
        if (start >= end) {
            throw malformed(typeOid, "a range without its flags byte");
        }
        int flags = buffer.get(start) & 0xFF;
        int position = start + 1;
        if ((flags & (RANGE_EMPTY | RANGE_LB_INF | RANGE_LB_NULL)) == 0) {
            position = walkItem(typeOid, subtype, buffer, position, end, depth);
        }
        if ((flags & (RANGE_EMPTY | RANGE_UB_INF | RANGE_UB_NULL)) == 0) {
            position = walkItem(typeOid, subtype, buffer, position, end, depth);
        }
        return position;
    }

    private int walkMultirange(int typeOid, int rangeType, ByteBuffer buffer, int start, int end, int depth) {
        int ranges = readInt(typeOid, buffer, start, end);
        if (ranges < 0) {
            throw malformed(typeOid, "a multirange of " + ranges + " ranges");
        }
        int position = start + 4;
        for (int i = 0; i < ranges; i++) {
            position = walkItem(typeOid, rangeType, buffer, position, end, depth);
        }
        return position;
    }

    /** A length-prefixed item (-1: NULL) of type {@code itemType} inside a value of {@code typeOid}. */
    private int walkItem(int typeOid, int itemType, ByteBuffer buffer, int position, int end, int depth) {
        int length = readInt(typeOid, buffer, position, end);
        position += 4;
        if (length == -1) {
            return position;
        }
        if (length < 0 || length > end - position) {
            throw malformed(typeOid, "an item of " + length + " bytes where " + (end - position) + " remain");
        }
        int itemEnd = walk(itemType, buffer, position, length, depth + 1);
        if (itemEnd != position + length) {
            throw malformed(itemType, "an item that does not fill its " + length + " bytes");
        }
        return itemEnd;
    }

    private static int readInt(int typeOid, ByteBuffer buffer, int position, int end) {
        if (position < 0 || end - position < 4) {
            throw malformed(typeOid, "the value ends early, at byte " + end);
        }
        return buffer.getInt(position);
    }

    private static IllegalArgumentException malformed(int typeOid, String what) {
        return new IllegalArgumentException("malformed binary value of type OID " + Integer.toUnsignedString(typeOid) + ": " + what);
    }
}
