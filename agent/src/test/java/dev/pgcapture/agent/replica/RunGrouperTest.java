package dev.pgcapture.agent.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Change.Operation;
import dev.pgcapture.proto.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RunGrouperTest {

    private static final Lsn LSN = Lsn.parse("0/16B3748");

    /** accounts(id int primary key, owner text, doc text, twice int generated). */
    private static final ReplicaTables.Table ACCOUNTS = table(1, "accounts", true);
    /** events(id int, owner text, doc text, twice int generated), no primary key. */
    private static final ReplicaTables.Table EVENTS = table(2, "events", false);

    private final List<Run> written = new ArrayList<>();
    /** Tables with a primary key have independent rows here (no other unique constraint). */
    private final RunGrouper grouper = new RunGrouper(written::addAll, table -> !table.primaryKey().isEmpty());

    @Test
    void consecutiveInsertsOfOneTable_becomeOneRun_withoutGeneratedColumns() throws Exception {
        for (int id = 1; id <= 5; id++) {
            grouper.add(change(ACCOUNTS, insert(id)));
        }
        grouper.flush();

        assertEquals(1, written.size());
        assertEquals(5, written.getFirst().rows().size());
        assertEquals(List.of("id", "owner", "doc"), written.getFirst().valueNames(), "the generated column is never written");
    }

    @Test
    void aKeySeenTwice_cutsTheRun_soEachStatementTouchesARowOnce() throws Exception {
        grouper.add(change(ACCOUNTS, update(1, "a")));
        grouper.add(change(ACCOUNTS, update(2, "b")));
        grouper.add(change(ACCOUNTS, update(1, "c")));
        grouper.flush();

        assertEquals(List.of(2, 1), sizes());
        assertEquals("c", text(written.get(1).rows().getFirst().values(), "owner"), "the later update comes in the later run");
    }

    @Test
    void updatesGroupByTheirUnchangedToastColumns() throws Exception {
        grouper.add(change(ACCOUNTS, update(1, "a")));
        grouper.add(change(ACCOUNTS, update(2, "b").toBuilder().removeNew(2).addUnchangedToast("doc").build()));
        grouper.add(change(ACCOUNTS, update(3, "c").toBuilder().removeNew(2).addUnchangedToast("doc").build()));
        grouper.add(change(ACCOUNTS, update(4, "d")));
        grouper.flush();

        assertEquals(List.of(List.of(1, 4), List.of(2, 3)), ids());
        assertEquals(List.of("id", "owner", "doc"), written.get(0).valueNames());
        assertEquals(List.of("id", "owner"), written.get(1).valueNames(), "an update with doc unchanged never sets doc");
    }

    @Test
    void interleavedOperationsOnDifferentKeys_shareOneRunPerOperation() throws Exception {
        for (int id = 1; id <= 30; id += 3) {
            grouper.add(change(ACCOUNTS, insert(id)));
            grouper.add(change(ACCOUNTS, update(id + 1, "u")));
            grouper.add(change(ACCOUNTS, delete(id + 2)));
        }
        grouper.flush();

        assertEquals(List.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE), written.stream().map(Run::op).toList());
        assertEquals(List.of(10, 10, 10), sizes());
    }

    @Test
    void changesOfOneKey_keepTheirOrder_acrossShapes() throws Exception {
        grouper.add(change(ACCOUNTS, insert(1)));
        grouper.add(change(ACCOUNTS, update(1, "a").toBuilder().removeNew(2).addUnchangedToast("doc").build()));
        grouper.add(change(ACCOUNTS, insert(2)));
        grouper.add(change(ACCOUNTS, delete(1)));
        grouper.add(change(ACCOUNTS, insert(1)));
        grouper.flush();

        assertEquals(List.of(List.of(1, 2), List.of(1), List.of(1), List.of(1)), ids(), "insert 2 joins the first run; key 1 goes in order");
        assertEquals(List.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE, Operation.INSERT), written.stream().map(Run::op).toList());
    }

    @Test
    void inATableWithOtherUniqueConstraints_onlyConsecutiveChangesShareARun() throws Exception {
        RunGrouper strict = new RunGrouper(written::addAll, table -> false);
        strict.add(change(ACCOUNTS, insert(1)));
        strict.add(change(ACCOUNTS, update(2, "a")));
        strict.add(change(ACCOUNTS, insert(3)));
        strict.add(change(ACCOUNTS, insert(4)));
        strict.flush();

        assertEquals(List.of(List.of(1), List.of(2), List.of(3, 4)), ids());
    }

    @Test
    void runsAreGathered_untilFlush() throws Exception {
        grouper.add(change(ACCOUNTS, insert(1)));
        grouper.add(change(EVENTS, insert(1)));

        assertEquals(List.of(), written, "nothing is written before the flush");
        grouper.flush();
        assertEquals(2, written.size());
    }

    @Test
    void aKeyChangingUpdate_matchesByTheOldKey_andCutsBeforeAChangeOfTheNewKey() throws Exception {
        grouper.add(change(ACCOUNTS, update(5, "x").toBuilder().addOld(int4("id", 1)).build()));
        grouper.add(change(ACCOUNTS, update(5, "y")));
        grouper.flush();

        assertEquals(List.of(1, 1), sizes());
        assertEquals(List.of("id"), written.get(0).matchNames(), "found by its old key");
        assertEquals(List.of(), written.get(1).matchNames(), "found by its key");
    }

    @Test
    void anOldTupleEqualToTheNewKey_isNoKeyChange() throws Exception {
        grouper.add(change(ACCOUNTS, update(1, "x").toBuilder().addOld(int4("id", 1)).build()));
        grouper.add(change(ACCOUNTS, update(2, "y")));
        grouper.flush();

        assertEquals(List.of(2), sizes());
    }

    @Test
    void tablesAndOperations_alternate_inOrder() throws Exception {
        grouper.add(change(ACCOUNTS, insert(1)));
        grouper.add(change(EVENTS, insert(1)));
        grouper.add(change(EVENTS, insert(1)));
        grouper.add(change(ACCOUNTS, delete(1)));
        grouper.add(change(ACCOUNTS, delete(2)));
        grouper.flush();

        assertEquals(List.of(1, 2, 2), sizes());
        assertEquals(List.of(Operation.INSERT, Operation.INSERT, Operation.DELETE), written.stream().map(Run::op).toList());
        assertEquals(List.of(1L, 2L, 1L), written.stream().map(run -> run.table().structure().oid()).toList());
    }

    @Test
    void withoutAPrimaryKey_identicalRowsStayInOneRun_matchedOnTheWholeOldRow() throws Exception {
        Change delete = delete(7).toBuilder().clearOld().addOld(int4("id", 7)).addOld(text("owner", "o")).addOld(text("doc", "d")).build();
        grouper.add(change(EVENTS, delete));
        grouper.add(change(EVENTS, delete));
        grouper.flush();

        assertEquals(List.of(2), sizes());
        assertEquals(List.of("id", "owner", "doc"), written.getFirst().matchNames());
    }

    @Test
    void withoutAPrimaryKeyOrOldRow_anUpdateFails_namingTheReplicaIdentityNeeded() {
        ApplyException e = assertThrows(ApplyException.class, () -> grouper.add(change(EVENTS, update(1, "x"))));

        assertEquals(LSN, e.commitLsn());
        assertEquals("public.events", e.table());
        assertTrue(e.getMessage().contains("needs REPLICA IDENTITY FULL or a primary key"), e.getMessage());
    }

    @Test
    void aNullFitsTextAndBinaryRuns_butTextAfterBinaryCutsTheRun() throws Exception {
        grouper.add(change(ACCOUNTS, insert(1)));
        grouper.add(change(ACCOUNTS, insert(2).toBuilder().setNew(2, Field.newBuilder().setName("doc")).build()));
        grouper.add(change(ACCOUNTS, insert(3).toBuilder().setNew(2, Field.newBuilder().setName("doc").setText("as text")).build()));
        grouper.flush();

        assertEquals(List.of(2, 1), sizes());
        assertEquals(Run.Kind.TEXT, written.get(1).valueKind(2));
    }

    @Test
    void aColumnTheReplicaDoesNotKnow_fails() {
        Change change = insert(1).toBuilder().addNew(text("surprise", "!")).build();

        ApplyException e = assertThrows(ApplyException.class, () -> grouper.add(change(ACCOUNTS, change)));

        assertTrue(e.getMessage().contains("column \"surprise\""), e.getMessage());
    }

    private List<List<Integer>> ids() {
        return written.stream().map(run -> run.rows().stream()
                .map(row -> row.keys().getFirst().getFirst().getBinary().asReadOnlyByteBuffer().getInt()).toList()).toList();
    }

    private List<Integer> sizes() {
        return written.stream().map(run -> run.rows().size()).toList();
    }

    private static RowChange change(ReplicaTables.Table table, Change change) {
        return new RowChange(table, change.toBuilder().setTable(table.structure().table()).build(), LSN);
    }

    private static Change insert(int id) {
        return Change.newBuilder().setOp(Operation.INSERT).setSchema("public")
                .addNew(int4("id", id)).addNew(text("owner", "o")).addNew(text("doc", "d")).addNew(int4("twice", 2)).build();
    }

    private static Change update(int id, String owner) {
        return Change.newBuilder().setOp(Operation.UPDATE).setSchema("public")
                .addNew(int4("id", id)).addNew(text("owner", owner)).addNew(text("doc", "d")).build();
    }

    private static Change delete(int id) {
        return Change.newBuilder().setOp(Operation.DELETE).setSchema("public").addOld(int4("id", id)).build();
    }

    private static Field int4(String name, int value) {
        return Field.newBuilder().setName(name).setOid(23).setBinary(ByteString.copyFrom(ByteBuffer.allocate(4).putInt(value).array())).build();
    }

    private static Field text(String name, String value) {
        return Field.newBuilder().setName(name).setOid(25).setBinary(ByteString.copyFromUtf8(value)).build();
    }

    private static String text(List<Field> fields, String name) {
        return fields.stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow().getBinary().toStringUtf8();
    }

    private static ReplicaTables.Table table(long oid, String name, boolean primaryKey) {
        TreeMap<Integer, TableStructure.Column> columns = new TreeMap<>();
        columns.put(1, new TableStructure.Column(1, "id", "pg_catalog", "int4", 23, "integer", primaryKey, null, primaryKey ? 1 : null, null, null, true));
        columns.put(2, new TableStructure.Column(2, "owner", "pg_catalog", "text", 25, "text", false, null, null, null, null, true));
        columns.put(3, new TableStructure.Column(3, "doc", "pg_catalog", "text", 25, "text", false, null, null, null, null, true));
        columns.put(4, new TableStructure.Column(4, "twice", "pg_catalog", "int4", 23, "integer", false, null, null, null, "(id * 2)", true));
        return new ReplicaTables.Table(new TableStructure(oid, "public", name, "r", primaryKey ? "default" : "full", columns), Lsn.ZERO, false);
    }
}
