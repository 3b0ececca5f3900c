package dev.pgcapture.agent.replica;

import static dev.pgcapture.agent.replica.BinaryOidRewriterTest.array;
import static dev.pgcapture.agent.replica.BinaryOidRewriterTest.int4;
import static dev.pgcapture.agent.replica.BinaryOidRewriterTest.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.TableName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The source → replica mapping of type OIDs in binary values, against a fake catalog. */
class SourceTypeOidsTest {

    private static final TableName TABLE = new TableName("public", "t");
    private static final int INT4 = 23;
    private static final int INT4_ARRAY = 1007;

    // Replica OIDs.
    private static final int MOOD = 20001;
    private static final int MOOD_ARRAY = 20002;
    private static final int PAIR = 20003; // (n int4, m mood, ms mood[])
    private static final int PAIR_ARRAY = 20004;
    private static final int MOODS = 20005; // domain over mood[]
    private static final int POSINT = 20006; // domain over int4
    private static final int COLOR = 20010; // an enum no column here contains
    // The source's OIDs of the same types.
    private static final int S_MOOD = 30001;
    private static final int S_MOOD_ARRAY = 30002;
    private static final int S_PAIR = 30003;
    private static final int S_PAIR_ARRAY = 30004;
    private static final int S_MOODS = 30005;
    private static final int S_POSINT = 30006;
    private static final int S_COLOR = 30010;

    private final FakeCatalog catalog = new FakeCatalog();
    private final SourceTypeOids types = new SourceTypeOids(catalog);

    @Test
    void builtinColumn_isNotRewritten_andReadsNoCatalog() throws Exception {
        assertSame(SourceTypeOids.ColumnRewrite.NONE, types.forColumn(TABLE, column("a", INT4_ARRAY, "pg_catalog", "_int4")));
        assertEquals(0, catalog.reads, "catalog reads");
    }

    @Test
    void enumAndDomainOverIntColumns_embedNoOid_areNotRewritten_andNeedNoPgcaptureTypes() throws Exception {
        assertSame(SourceTypeOids.ColumnRewrite.NONE, types.forColumn(TABLE, column("m", S_MOOD, "public", "mood")));
        assertSame(SourceTypeOids.ColumnRewrite.NONE, types.forColumn(TABLE, column("p", S_POSINT, "public", "posint")));
        assertEquals(0, catalog.recordedReads, "reads of pgcapture.types");
    }

    @Test
    void enumArrayColumn_withNullsAndTwoDimensions_getsTheReplicaElementOid() throws Exception {
        SourceTypeOids.ColumnRewrite rewrite = types.forColumn(TABLE, column("ms", S_MOOD_ARRAY, "public", "_mood"));

        assertArrayEquals(array(MOOD, new int[] {3}, label("ok"), null, label("sad")),
                rewrite.toReplica(array(S_MOOD, new int[] {3}, label("ok"), null, label("sad"))));
        assertArrayEquals(array(MOOD, new int[] {2, 2}, label("ok"), label("sad"), null, label("ok")),
                rewrite.toReplica(array(S_MOOD, new int[] {2, 2}, label("ok"), label("sad"), null, label("ok"))));
    }

    @Test
    void compositeAndCompositeArrayColumns_getTheReplicaAttributeAndElementOids() throws Exception {
        byte[] sourcePair = pair(S_MOOD, S_MOOD_ARRAY, 7, "ok");
        byte[] replicaPair = pair(MOOD, MOOD_ARRAY, 7, "ok");

        assertArrayEquals(replicaPair, types.forColumn(TABLE, column("p", S_PAIR, "public", "pair")).toReplica(sourcePair));
        assertArrayEquals(array(PAIR, new int[] {2}, replicaPair, null),
                types.forColumn(TABLE, column("ps", S_PAIR_ARRAY, "public", "_pair"))
                        .toReplica(array(S_PAIR, new int[] {2}, sourcePair, null)));
    }

    @Test
    void domainOverAnEnumArray_isMappedThroughItsBase() throws Exception {
        SourceTypeOids.ColumnRewrite rewrite = types.forColumn(TABLE, column("d", S_MOODS, "public", "moods"));

        assertArrayEquals(array(MOOD, new int[] {1}, label("sad")), rewrite.toReplica(array(S_MOOD, new int[] {1}, label("sad"))));
    }

    @Test
    void embeddedOidMissingFromPgcaptureTypes_failsNamingTableColumnAndType() throws Exception {
        catalog.recorded.remove(S_MOOD);
        SourceTypeOids.ColumnRewrite rewrite = types.forColumn(TABLE, column("ms", S_MOOD_ARRAY, "public", "_mood"));

        SourceTypeOids.UnmappedValueException e = assertThrows(SourceTypeOids.UnmappedValueException.class,
                () -> rewrite.toReplica(array(S_MOOD, new int[] {1}, label("ok"))));
        assertTrue(e.getMessage().startsWith("column ms of table public.t (type public._mood, source type OID 30002): "
                + "a value embeds source type OID 30001, which pgcapture.types does not list"), e.getMessage());
    }

    @Test
    void embeddedOidOfATypeTheColumnDoesNotContain_failsRatherThanWritingAnotherType() throws Exception {
        SourceTypeOids.ColumnRewrite rewrite = types.forColumn(TABLE, column("ms", S_MOOD_ARRAY, "public", "_mood"));

        SourceTypeOids.UnmappedValueException e = assertThrows(SourceTypeOids.UnmappedValueException.class,
                () -> rewrite.toReplica(array(S_COLOR, new int[] {1}, label("red"))));
        assertTrue(e.getMessage().contains("a value embeds source type public.color (source OID 30010), "
                + "which the replica's column type does not contain"), e.getMessage());
    }

    @Test
    void embeddedTypeMissingOnTheReplica_failsNamingIt() throws Exception {
        catalog.recorded.put(S_MOOD, new SourceTypeOids.Recorded(new TableName("public", "mood"), null));
        SourceTypeOids.ColumnRewrite rewrite = types.forColumn(TABLE, column("ms", S_MOOD_ARRAY, "public", "_mood"));

        SourceTypeOids.UnmappedValueException e = assertThrows(SourceTypeOids.UnmappedValueException.class,
                () -> rewrite.toReplica(array(S_MOOD, new int[] {1}, label("ok"))));
        assertTrue(e.getMessage().contains("source type public.mood (source OID 30001), which does not exist on the replica"),
                e.getMessage());
    }

    @Test
    void columnTypeMissingOnTheReplica_failsNamingIt() {
        SourceTypeOids.UnmappedValueException e = assertThrows(SourceTypeOids.UnmappedValueException.class,
                () -> types.forColumn(TABLE, column("x", 30099, "public", "gone")));
        assertEquals("column x of table public.t (type public.gone, source type OID 30099): "
                + "the replica has no type public.gone", e.getMessage());
    }

    @Test
    void malformedValue_failsNamingTheColumn() throws Exception {
        SourceTypeOids.ColumnRewrite rewrite = types.forColumn(TABLE, column("ms", S_MOOD_ARRAY, "public", "_mood"));

        SourceTypeOids.UnmappedValueException e = assertThrows(SourceTypeOids.UnmappedValueException.class,
                () -> rewrite.toReplica(new byte[] {0, 0, 0, 1}));
        assertTrue(e.getMessage().startsWith("column ms of table public.t"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed binary value"), e.getMessage());
    }

    @Test
    void columnsAreLookedUpOnce_untilRefresh() throws Exception {
        TableStructure.Column ms = column("ms", S_MOOD_ARRAY, "public", "_mood");
        types.forColumn(TABLE, ms);
        int reads = catalog.reads;
        types.forColumn(TABLE, ms);
        assertEquals(reads, catalog.reads, "catalog reads for a column already seen");

        catalog.recorded.remove(S_MOOD);
        types.refresh();
        SourceTypeOids.ColumnRewrite rewrite = types.forColumn(TABLE, ms);
        assertTrue(catalog.reads > reads, "refresh reads the catalog again");
        assertThrows(SourceTypeOids.UnmappedValueException.class, () -> rewrite.toReplica(array(S_MOOD, new int[] {1}, label("ok"))));
    }

    private static byte[] pair(int mood, int moodArray, int n, String label) {
        return record(new int[] {INT4, mood, moodArray}, int4(n), label(label), array(mood, new int[] {1}, label(label)));
    }

    private static byte[] label(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static TableStructure.Column column(String name, int typeOid, String typeSchema, String typeName) {
        return new TableStructure.Column(1, name, typeSchema, typeName, Integer.toUnsignedLong(typeOid), typeSchema + "." + typeName,
                false, null, null, null, null, true);
    }

    /** The replica's catalog: types by name, their shapes, and pgcapture.types. */
    private static final class FakeCatalog implements SourceTypeOids.Catalog {

        final Map<TableName, Integer> byName = new HashMap<>(Map.of(
                name("mood"), MOOD, name("_mood"), MOOD_ARRAY, name("pair"), PAIR, name("_pair"), PAIR_ARRAY,
                name("moods"), MOODS, name("posint"), POSINT, name("color"), COLOR));
        final Map<Integer, TypeShape> shapes = Map.of(
                MOOD, new TypeShape.Scalar(),
                MOOD_ARRAY, new TypeShape.Array(MOOD),
                PAIR, new TypeShape.Composite(List.of(INT4, MOOD, MOOD_ARRAY)),
                PAIR_ARRAY, new TypeShape.Array(PAIR),
                MOODS, new TypeShape.Domain(MOOD_ARRAY),
                POSINT, new TypeShape.Domain(INT4),
                COLOR, new TypeShape.Scalar());
        final Map<Integer, SourceTypeOids.Recorded> recorded = new HashMap<>(Map.of(
                S_MOOD, recorded("mood", MOOD), S_MOOD_ARRAY, recorded("_mood", MOOD_ARRAY), S_PAIR, recorded("pair", PAIR),
                S_PAIR_ARRAY, recorded("_pair", PAIR_ARRAY), S_MOODS, recorded("moods", MOODS), S_POSINT, recorded("posint", POSINT),
                S_COLOR, recorded("color", COLOR)));
        int reads;
        int recordedReads;

        private static TableName name(String type) {
            return new TableName("public", type);
        }

        private static SourceTypeOids.Recorded recorded(String type, int replicaOid) {
            return new SourceTypeOids.Recorded(name(type), replicaOid);
        }

        @Override
        public Map<Integer, SourceTypeOids.Recorded> recorded() {
            reads++;
            recordedReads++;
            return new HashMap<>(recorded);
        }

        @Override
        public Optional<Integer> replicaOid(TableName name) {
            reads++;
            return Optional.ofNullable(byName.get(name));
        }

        /** The shapes of {@code replicaOid} and of the user types it contains, as the replica's query returns them. */
        @Override
        public Map<Integer, TypeShape> shapes(int replicaOid) {
            reads++;
            Map<Integer, TypeShape> reach = new HashMap<>();
            Deque<Integer> todo = new ArrayDeque<>(List.of(replicaOid));
            while (!todo.isEmpty()) {
                int oid = todo.pop();
                TypeShape shape = shapes.get(oid);
                if (shape == null || reach.putIfAbsent(oid, shape) != null) {
                    continue;
                }
                switch (shape) {
                    case TypeShape.Array array -> todo.push(array.element());
                    case TypeShape.Composite composite -> composite.attributes().forEach(todo::push);
                    case TypeShape.Domain domain -> todo.push(domain.base());
                    case TypeShape.Range range -> todo.push(range.subtype());
                    case TypeShape.Multirange multirange -> todo.push(multirange.range());
                    case TypeShape.Scalar scalar -> { }
                }
            }
            return reach;
        }
    }
}
