package dev.pgcapture.agent.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinaryOidRewriterTest {

    private static final int INT4 = 23;
    private static final int INT4_ARRAY = 1007;
    // Replica OIDs of user types, and the source OIDs they map to (+70000).
    private static final int MOOD = 20001;
    private static final int MOOD_ARRAY = 20002;
    private static final int PAIR = 20003; // (n int4, m mood, ms mood[])
    private static final int PAIR_ARRAY = 20004;
    private static final int MOODS_DOMAIN = 20005; // domain over mood[]
    private static final int PAIR_RANGE = 20006;
    private static final int PAIR_MULTIRANGE = 20007;
    private static final int UNKNOWN = 20099;

    private static final Map<Integer, TypeShape> SHAPES = Map.of(
            MOOD, new TypeShape.Scalar(),
            MOOD_ARRAY, new TypeShape.Array(MOOD),
            PAIR, new TypeShape.Composite(List.of(INT4, MOOD, MOOD_ARRAY)),
            PAIR_ARRAY, new TypeShape.Array(PAIR),
            MOODS_DOMAIN, new TypeShape.Domain(MOOD_ARRAY),
            PAIR_RANGE, new TypeShape.Range(PAIR),
            PAIR_MULTIRANGE, new TypeShape.Multirange(PAIR_RANGE));

    private final BinaryOidRewriter rewriter = new BinaryOidRewriter(SHAPES::get,
            oid -> BinaryOidRewriter.isUserType(oid) ? oid + 70000 : oid);

    private static int source(int oid) {
        return oid + 70000;
    }

    @Test
    void builtinValue_isReturnedUnchanged() {
        byte[] value = array(INT4, new int[] {2}, int4(1), int4(2));
        assertSame(value, rewriter.rewrite(INT4_ARRAY, value));
    }

    @Test
    void oneDimensionalArrayWithNulls_getsTheSourceElementOid() {
        byte[] replica = array(MOOD, new int[] {3}, label("happy"), null, label("sad"));
        byte[] expected = array(source(MOOD), new int[] {3}, label("happy"), null, label("sad"));
        assertArrayEquals(expected, rewriter.rewrite(MOOD_ARRAY, replica));
    }

    @Test
    void multiDimensionalArray_getsTheSourceElementOid() {
        byte[] replica = array(MOOD, new int[] {2, 3}, label("a"), null, label("b"), label("c"), label("d"), null);
        byte[] expected = array(source(MOOD), new int[] {2, 3}, label("a"), null, label("b"), label("c"), label("d"), null);
        assertArrayEquals(expected, rewriter.rewrite(MOOD_ARRAY, replica));
    }

    @Test
    void emptyArray_getsTheSourceElementOid() {
        assertArrayEquals(array(source(MOOD), new int[0]), rewriter.rewrite(MOOD_ARRAY, array(MOOD, new int[0])));
    }

    @Test
    void composite_mapsUserAttributeOidsAndKeepsBuiltinOnes() {
        byte[] replica = pair(false, 7, "ok", array(MOOD, new int[] {1}, label("ok")));
        byte[] expected = pair(true, 7, "ok", array(source(MOOD), new int[] {1}, label("ok")));
        byte[] rewritten = rewriter.rewrite(PAIR, replica);
        assertArrayEquals(expected, rewritten);
        assertTrue(ByteBuffer.wrap(rewritten).getInt(4) == INT4, "int4 stays 23");
    }

    @Test
    void compositeWithNullAttributes_isRewritten() {
        byte[] replica = record(new int[] {INT4, MOOD, MOOD_ARRAY}, null, null, null);
        byte[] expected = record(new int[] {INT4, source(MOOD), source(MOOD_ARRAY)}, null, null, null);
        assertArrayEquals(expected, rewriter.rewrite(PAIR, replica));
    }

    @Test
    void arrayOfCompositesHoldingArrays_isRewrittenAtEveryLevel() {
        byte[] replica = array(PAIR, new int[] {3},
                pair(false, 1, "a", array(MOOD, new int[] {2}, label("x"), null)),
                null,
                pair(false, 2, "b", array(MOOD, new int[] {1, 1}, label("y"))));
        byte[] expected = array(source(PAIR), new int[] {3},
                pair(true, 1, "a", array(source(MOOD), new int[] {2}, label("x"), null)),
                null,
                pair(true, 2, "b", array(source(MOOD), new int[] {1, 1}, label("y"))));
        assertArrayEquals(expected, rewriter.rewrite(PAIR_ARRAY, replica));
    }

    @Test
    void domainOverArray_isRewrittenAsItsBase() {
        byte[] replica = array(MOOD, new int[] {1}, label("z"));
        assertArrayEquals(array(source(MOOD), new int[] {1}, label("z")), rewriter.rewrite(MOODS_DOMAIN, replica));
    }

    @Test
    void rangeAndMultirangeOfComposites_rewriteTheirBounds() {
        byte[] lower = pair(false, 1, "a", null);
        byte[] upper = pair(false, 2, "b", null);
        byte[] range = range(0x02, lower, upper); // [lower, upper)
        byte[] expectedRange = range(0x02, pair(true, 1, "a", null), pair(true, 2, "b", null));
        assertArrayEquals(expectedRange, rewriter.rewrite(PAIR_RANGE, range));
        byte[] unboundedAbove = range(0x02 | 0x10, lower, null);
        byte[] multirange = concat(int4(2), item(range), item(unboundedAbove));
        byte[] expected = concat(int4(2), item(expectedRange), item(range(0x02 | 0x10, pair(true, 1, "a", null), null)));
        assertArrayEquals(expected, rewriter.rewrite(PAIR_MULTIRANGE, multirange));
    }

    @Test
    void truncatedValue_isRejectedNamingTheType() {
        byte[] value = array(MOOD, new int[] {2}, label("a"), label("b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rewriter.rewrite(MOOD_ARRAY, Arrays.copyOf(value, value.length - 2)));
        assertTrue(e.getMessage().startsWith("malformed binary value of type OID "), e.getMessage());
    }

    @Test
    void userTypeWithoutShape_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rewriter.rewrite(UNKNOWN, int4(1)));
        assertTrue(e.getMessage().contains("20099"), e.getMessage());
    }

    // --- binary value builders, as array_send, record_send and range_send write them ---

    private static byte[] pair(boolean sourceOids, int n, String mood, byte[] moods) {
        int moodOid = sourceOids ? source(MOOD) : MOOD;
        int moodArrayOid = sourceOids ? source(MOOD_ARRAY) : MOOD_ARRAY;
        return record(new int[] {INT4, moodOid, moodArrayOid}, int4(n), label(mood), moods);
    }

    static byte[] array(int element, int[] dims, byte[]... items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean hasNull = Arrays.stream(items).anyMatch(i -> i == null);
        write(out, int4(dims.length), int4(hasNull ? 1 : 0), int4(element));
        for (int dim : dims) {
            write(out, int4(dim), int4(1));
        }
        for (byte[] item : items) {
            write(out, item(item));
        }
        return out.toByteArray();
    }

    static byte[] record(int[] oids, byte[]... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, int4(oids.length));
        for (int i = 0; i < oids.length; i++) {
            write(out, int4(oids[i]), item(values[i]));
        }
        return out.toByteArray();
    }

    private static byte[] range(int flags, byte[] lower, byte[] upper) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(flags);
        if (lower != null) {
            write(out, item(lower));
        }
        if (upper != null) {
            write(out, item(upper));
        }
        return out.toByteArray();
    }

    private static byte[] item(byte[] value) {
        return value == null ? int4(-1) : concat(int4(value.length), value);
    }

    static byte[] int4(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    private static byte[] label(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, parts);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[]... parts) {
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
    }
}
