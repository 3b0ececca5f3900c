package dev.pgcapture.agent.capture;

import static dev.pgcapture.agent.capture.Fixtures.BYTEA;
import static dev.pgcapture.agent.capture.Fixtures.INT4;
import static dev.pgcapture.agent.capture.Fixtures.ORDERS;
import static dev.pgcapture.agent.capture.Fixtures.ORDERS_OID;
import static dev.pgcapture.agent.capture.Fixtures.TEXT;
import static dev.pgcapture.agent.capture.Fixtures.USERS;
import static dev.pgcapture.agent.capture.Fixtures.USERS_OID;
import static dev.pgcapture.agent.capture.Fixtures.begin;
import static dev.pgcapture.agent.capture.Fixtures.binary;
import static dev.pgcapture.agent.capture.Fixtures.binaryField;
import static dev.pgcapture.agent.capture.Fixtures.commit;
import static dev.pgcapture.agent.capture.Fixtures.int4;
import static dev.pgcapture.agent.capture.Fixtures.int4Field;
import static dev.pgcapture.agent.capture.Fixtures.nullField;
import static dev.pgcapture.agent.capture.Fixtures.text;
import static dev.pgcapture.agent.capture.Fixtures.textField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.ByteString;
import dev.pgcapture.agent.pgoutput.ColumnValue;
import dev.pgcapture.agent.pgoutput.OldTuple;
import dev.pgcapture.agent.pgoutput.PgOutputMessage;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Begin;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Delete;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Insert;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.LogicalMessage;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Origin;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation.Column;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Truncate;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Type;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Update;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.Message;
import dev.pgcapture.proto.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a well-formed stream maps to, message by message and byte for byte. */
class PgOutputMapperTest {

    private static final long LSN = 0x16_B374_D848L;

    private final PgOutputMapper mapper = new PgOutputMapper(new RelationCache());

    private List<SourceMessage> map(PgOutputMessage... messages) {
        List<SourceMessage> out = new ArrayList<>();
        for (PgOutputMessage message : messages) {
            mapper.map(message).ifPresent(out::add);
        }
        return out;
    }

    /** The one change of a transaction holding exactly {@code message}. */
    private Change changeOf(PgOutputMessage message) {
        List<SourceMessage> out = map(USERS, ORDERS, begin(LSN), message, commit(LSN));
        assertEquals(3, out.size(), () -> "expected Begin, Change, Commit: " + out);
        return out.get(1).message().getChange();
    }

    private static Change.Builder users(Change.Operation op) {
        return Change.newBuilder().setOp(op).setSchema("public").setTable("users");
    }

    private static Insert insertUser(int id, ColumnValue name, ColumnValue bio) {
        return new Insert(USERS_OID, List.of(int4(id), name, bio));
    }

    @Test
    void transaction_everyMessage_carriesCommitLsnAndSeqCountingFromZero() {
        List<SourceMessage> out = map(USERS, begin(LSN),
                insertUser(1, text("ann"), text("a")),
                new Update(USERS_OID, Optional.empty(), List.of(int4(1), text("bea"), text("b"))),
                new Delete(USERS_OID, new OldTuple(OldTuple.Kind.KEY, List.of(int4(1), ColumnValue.NULL, ColumnValue.NULL))),
                commit(LSN));

        List<Checkpoint> checkpoints = out.stream().map(SourceMessage::checkpoint).toList();
        assertEquals(List.of(Checkpoint.of(new Lsn(LSN), 0), Checkpoint.of(new Lsn(LSN), 1), Checkpoint.of(new Lsn(LSN), 2),
                Checkpoint.of(new Lsn(LSN), 3), Checkpoint.of(new Lsn(LSN), 4)), checkpoints);
        List<Message.TypeCase> types = out.stream().map(m -> m.message().getTypeCase()).toList();
        assertEquals(List.of(Message.TypeCase.BEGIN, Message.TypeCase.CHANGE, Message.TypeCase.CHANGE,
                Message.TypeCase.CHANGE, Message.TypeCase.COMMIT), types);
    }

    @Test
    void beginAndCommit_mapLsnsTimesAndXidExactly() {
        Begin begin = new Begin(new Lsn(LSN), 760_123_456_789_012L, 4_294_967_295L);
        PgOutputMessage.Commit commit = new PgOutputMessage.Commit(0, new Lsn(LSN), new Lsn(0xFFFF_FFFF_0000_0001L), -5L);

        List<SourceMessage> out = map(begin, commit);

        assertEquals(Message.newBuilder().setBegin(dev.pgcapture.proto.Begin.newBuilder()
                .setFinalLsn(LSN).setCommitTime(760_123_456_789_012L).setRemoteXid(-1)).build(), out.get(0).message());
        assertEquals(Message.newBuilder().setCommit(dev.pgcapture.proto.Commit.newBuilder()
                .setCommitLsn(LSN).setEndLsn(0xFFFF_FFFF_0000_0001L).setCommitTime(-5L)).build(), out.get(1).message());
        assertEquals(4_294_967_295L, Integer.toUnsignedLong(out.get(0).message().getBegin().getRemoteXid()));
    }

    @Test
    void transactions_inARow_eachRestartSeqAtZeroWithItsOwnCommitLsn() {
        List<SourceMessage> out = map(USERS,
                begin(0x100), insertUser(1, text("a"), text("a")), commit(0x100),
                begin(0x200), insertUser(2, text("b"), text("b")), insertUser(3, text("c"), text("c")), commit(0x200),
                begin(0x300), commit(0x300));

        List<Checkpoint> checkpoints = out.stream().map(SourceMessage::checkpoint).toList();
        assertEquals(List.of(
                Checkpoint.of(new Lsn(0x100), 0), Checkpoint.of(new Lsn(0x100), 1), Checkpoint.of(new Lsn(0x100), 2),
                Checkpoint.of(new Lsn(0x200), 0), Checkpoint.of(new Lsn(0x200), 1), Checkpoint.of(new Lsn(0x200), 2),
                Checkpoint.of(new Lsn(0x200), 3),
                Checkpoint.of(new Lsn(0x300), 0), Checkpoint.of(new Lsn(0x300), 1)), checkpoints);
    }

    @Test
    void relationTypeOriginAndLogicalMessage_produceNothingAndTakeNoSeq() {
        assertEquals(Optional.empty(), mapper.map(USERS));
        assertEquals(Optional.empty(), mapper.map(new Type(70_000, "public", "mood")));
        assertEquals(Optional.empty(), mapper.map(new LogicalMessage(false, new Lsn(1), "p", ByteString.copyFrom(new byte[] {1}))));

        List<SourceMessage> out = map(begin(LSN), new Origin(new Lsn(7), "upstream"),
                new LogicalMessage(true, new Lsn(LSN - 8), "p", ByteString.copyFrom(new byte[] {1})), ORDERS,
                insertUser(1, text("a"), text("a")), commit(LSN));

        assertEquals(List.of(0, 1, 2), out.stream().map(m -> m.checkpoint().seq()).toList());
    }

    @Test
    void insert_binaryTextAndNull_mapByteExactWithNamesAndTypeOids() {
        Relation blobs = new Relation(16_500, "public", "blobs", 'd', List.of(
                new Column(Column.FLAG_KEY, "id", INT4, -1), new Column(0, "data", BYTEA, -1),
                new Column(0, "label", TEXT, -1), new Column(0, "empty", TEXT, -1), new Column(0, "missing", BYTEA, -1)));
        mapper.map(blobs);
        mapper.map(begin(LSN));

        Change change = mapper.map(new Insert(16_500, List.of(int4(-2), binary(0x00, 0x80, 0xFF, 0x00),
                text("Grüße, 世界 🐘"), text(""), ColumnValue.NULL))).orElseThrow().message().getChange();

        assertEquals(Change.newBuilder().setOp(Change.Operation.INSERT).setSchema("public").setTable("blobs")
                .addNew(binaryField("id", INT4, 0xFF, 0xFF, 0xFF, 0xFE))
                .addNew(binaryField("data", BYTEA, 0x00, 0x80, 0xFF, 0x00))
                .addNew(textField("label", "Grüße, 世界 🐘"))
                .addNew(textField("empty", ""))
                .addNew(nullField("missing", BYTEA))
                .build(), change);
        assertEquals(Field.ValueCase.TEXT, change.getNew(3).getValueCase());
        assertEquals(Field.ValueCase.VALUE_NOT_SET, change.getNew(4).getValueCase());
    }

    @Test
    void insert_binaryValue_reachesTheFieldWithoutACopy() {
        ColumnValue.Binary id = int4(7);

        Change change = changeOf(new Insert(ORDERS_OID, List.of(id, text("n"))));

        assertSame(id.bytes(), change.getNew(0).getBinary());
    }

    @Test
    void insert_typeOidAboveSignedRange_keepsAllUnsigned32Bits() {
        mapper.map(new Relation(4_000_000_000L, "public", "t", 'd', List.of(new Column(0, "c", 4_294_967_295L, -1))));
        mapper.map(begin(LSN));

        Change change = mapper.map(new Insert(4_000_000_000L, List.of(text("x")))).orElseThrow().message().getChange();

        assertEquals(4_294_967_295L, Integer.toUnsignedLong(change.getNew(0).getOid()));
    }

    @Test
    void update_keyOldTuple_sendsOnlyTheKeyColumnsAsOld() {
        Update update = new Update(USERS_OID,
                Optional.of(new OldTuple(OldTuple.Kind.KEY, List.of(int4(1), ColumnValue.NULL, ColumnValue.NULL))),
                List.of(int4(2), text("ann"), ColumnValue.NULL));

        assertEquals(users(Change.Operation.UPDATE)
                .addNew(int4Field("id", 2)).addNew(textField("name", "ann")).addNew(nullField("bio", TEXT))
                .addOld(int4Field("id", 1))
                .build(), changeOf(update));
    }

    @Test
    void update_fullOldRow_sendsEveryOldColumnIncludingNulls() {
        Update update = new Update(USERS_OID,
                Optional.of(new OldTuple(OldTuple.Kind.FULL_ROW, List.of(int4(1), text("ann"), ColumnValue.NULL))),
                List.of(int4(1), text("bea"), text("new bio")));

        assertEquals(users(Change.Operation.UPDATE)
                .addNew(int4Field("id", 1)).addNew(textField("name", "bea")).addNew(textField("bio", "new bio"))
                .addOld(int4Field("id", 1)).addOld(textField("name", "ann")).addOld(nullField("bio", TEXT))
                .build(), changeOf(update));
    }

    @Test
    void update_withoutOldTuple_sendsNoOldFields() {
        Update update = new Update(USERS_OID, Optional.empty(), List.of(int4(1), text("bea"), ColumnValue.NULL));

        assertEquals(users(Change.Operation.UPDATE)
                .addNew(int4Field("id", 1)).addNew(textField("name", "bea")).addNew(nullField("bio", TEXT))
                .build(), changeOf(update));
    }

    @Test
    void update_unchangedToast_isNamedNotNull() {
        Update update = new Update(USERS_OID, Optional.empty(), List.of(int4(1), text("bea"), ColumnValue.UNCHANGED_TOAST));

        Change change = changeOf(update);

        assertEquals(users(Change.Operation.UPDATE)
                .addNew(int4Field("id", 1)).addNew(textField("name", "bea"))
                .addUnchangedToast("bio")
                .build(), change);
        assertEquals(List.of("id", "name"), change.getNewList().stream().map(Field::getName).toList());
    }

    @Test
    void update_unchangedToastWithKeyOldTuple_staysNamed() {
        Update update = new Update(USERS_OID,
                Optional.of(new OldTuple(OldTuple.Kind.KEY, List.of(int4(1), ColumnValue.NULL, ColumnValue.NULL))),
                List.of(int4(2), ColumnValue.UNCHANGED_TOAST, ColumnValue.UNCHANGED_TOAST));

        assertEquals(users(Change.Operation.UPDATE)
                .addNew(int4Field("id", 2))
                .addOld(int4Field("id", 1))
                .addUnchangedToast("name").addUnchangedToast("bio")
                .build(), changeOf(update));
    }

    @Test
    void update_unchangedToastWithFullOldRow_takesTheValueFromTheOldRow() {
        Update update = new Update(USERS_OID,
                Optional.of(new OldTuple(OldTuple.Kind.FULL_ROW, List.of(int4(1), text("ann"), binary(0xDE, 0xAD)))),
                List.of(int4(1), ColumnValue.UNCHANGED_TOAST, ColumnValue.UNCHANGED_TOAST));

        assertEquals(users(Change.Operation.UPDATE)
                .addNew(int4Field("id", 1)).addNew(textField("name", "ann")).addNew(binaryField("bio", TEXT, 0xDE, 0xAD))
                .addOld(int4Field("id", 1)).addOld(textField("name", "ann")).addOld(binaryField("bio", TEXT, 0xDE, 0xAD))
                .build(), changeOf(update));
    }

    @Test
    void update_unchangedToastWithoutValueInFullOldRow_staysNamedAndOutOfOld() {
        Update update = new Update(USERS_OID,
                Optional.of(new OldTuple(OldTuple.Kind.FULL_ROW, List.of(int4(1), ColumnValue.NULL, ColumnValue.UNCHANGED_TOAST))),
                List.of(int4(1), ColumnValue.UNCHANGED_TOAST, ColumnValue.UNCHANGED_TOAST));

        assertEquals(users(Change.Operation.UPDATE)
                .addNew(int4Field("id", 1))
                .addOld(int4Field("id", 1)).addOld(nullField("name", TEXT))
                .addUnchangedToast("name").addUnchangedToast("bio")
                .build(), changeOf(update));
    }

    @Test
    void delete_keyOldTuple_sendsOnlyTheKeyColumns() {
        Delete delete = new Delete(USERS_OID, new OldTuple(OldTuple.Kind.KEY, List.of(int4(7), ColumnValue.NULL, ColumnValue.NULL)));

        assertEquals(users(Change.Operation.DELETE).addOld(int4Field("id", 7)).build(), changeOf(delete));
    }

    @Test
    void delete_fullOldRow_sendsEveryColumnButUnchangedToast() {
        Delete delete = new Delete(USERS_OID,
                new OldTuple(OldTuple.Kind.FULL_ROW, List.of(int4(7), ColumnValue.NULL, ColumnValue.UNCHANGED_TOAST)));

        assertEquals(users(Change.Operation.DELETE).addOld(int4Field("id", 7)).addOld(nullField("name", TEXT)).build(),
                changeOf(delete));
    }

    @ParameterizedTest(name = "cascade={0}, restartIdentity={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void truncate_severalTables_isOneChangeListingEveryTableInOrderWithItsFlags(boolean cascade, boolean restartIdentity) {
        List<SourceMessage> out = map(USERS, ORDERS, begin(LSN),
                new Truncate(cascade, restartIdentity, List.of(ORDERS_OID, USERS_OID)), commit(LSN));

        assertEquals(3, out.size());
        assertEquals(Checkpoint.of(new Lsn(LSN), 1), out.get(1).checkpoint());
        assertEquals(Change.newBuilder().setOp(Change.Operation.TRUNCATE).setSchema("sales").setTable("orders")
                .setTruncate(dev.pgcapture.proto.Truncate.newBuilder()
                        .addTables(TableName.newBuilder().setSchema("sales").setTable("orders"))
                        .addTables(TableName.newBuilder().setSchema("public").setTable("users"))
                        .setCascade(cascade).setRestartIdentity(restartIdentity))
                .build(), out.get(1).message().getChange());
    }

    @Test
    void relation_replacedMidStream_laterChangesUseTheNewColumns() {
        Relation withTotal = new Relation(ORDERS_OID, "sales", "orders", 'd', List.of(
                new Column(Column.FLAG_KEY, "id", INT4, -1), new Column(0, "note", TEXT, -1), new Column(0, "total", INT4, -1)));

        List<SourceMessage> out = map(ORDERS, begin(LSN),
                new Insert(ORDERS_OID, List.of(int4(1), text("first"))),
                withTotal,
                new Insert(ORDERS_OID, List.of(int4(2), text("second"), int4(99))),
                commit(LSN));

        Change.Builder orders = Change.newBuilder().setOp(Change.Operation.INSERT).setSchema("sales").setTable("orders");
        assertEquals(orders.clone().addNew(int4Field("id", 1)).addNew(textField("note", "first")).build(),
                out.get(1).message().getChange());
        assertEquals(orders.clone().addNew(int4Field("id", 2)).addNew(textField("note", "second")).addNew(int4Field("total", 99))
                .build(), out.get(2).message().getChange());
        assertEquals(List.of(0, 1, 2, 3), out.stream().map(m -> m.checkpoint().seq()).toList());
    }

    @Test
    void relation_emptyNamespace_isPgCatalog() {
        mapper.map(new Relation(1_000, "", "pg_thing", 'n', List.of(new Column(0, "c", INT4, -1))));
        mapper.map(begin(LSN));

        Change change = mapper.map(new Insert(1_000, List.of(int4(1)))).orElseThrow().message().getChange();

        assertEquals("pg_catalog", change.getSchema());
    }
}
