package dev.pgcapture.agent.capture;

import static dev.pgcapture.agent.capture.Fixtures.ORDERS;
import static dev.pgcapture.agent.capture.Fixtures.ORDERS_OID;
import static dev.pgcapture.agent.capture.Fixtures.USERS;
import static dev.pgcapture.agent.capture.Fixtures.USERS_OID;
import static dev.pgcapture.agent.capture.Fixtures.begin;
import static dev.pgcapture.agent.capture.Fixtures.commit;
import static dev.pgcapture.agent.capture.Fixtures.int4;
import static dev.pgcapture.agent.capture.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.agent.pgoutput.ColumnValue;
import dev.pgcapture.agent.pgoutput.OldTuple;
import dev.pgcapture.agent.pgoutput.PgOutputMessage;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Delete;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Insert;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Truncate;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Update;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message that does not fit the stream, and what the error says. */
class PgOutputMapperErrorTest {

    private static final long LSN = 0x2_0000_0100L;
    private static final Insert INSERT = new Insert(USERS_OID, List.of(int4(1), text("a"), text("b")));

    private final PgOutputMapper mapper = new PgOutputMapper(new RelationCache());

    private void map(PgOutputMessage... messages) {
        for (PgOutputMessage message : messages) {
            mapper.map(message);
        }
    }

    /** One row change of every kind, with how an error names it. */
    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("Insert on relation OID 16400", INSERT),
                Arguments.of("Update on relation OID 16400",
                        new Update(USERS_OID, Optional.empty(), List.of(int4(1), text("a"), text("b")))),
                Arguments.of("Delete on relation OID 16400",
                        new Delete(USERS_OID, new OldTuple(OldTuple.Kind.KEY, List.of(int4(1), ColumnValue.NULL, ColumnValue.NULL)))),
                Arguments.of("Truncate of relation OIDs [16400, 16410]",
                        new Truncate(false, false, List.of(USERS_OID, ORDERS_OID))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void change_beforeAnyBegin_failsAsOutsideATransaction(String name, PgOutputMessage change) {
        map(USERS, ORDERS);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mapper.map(change));

        assertEquals(name + " arrived outside a transaction: expected a Begin first", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void change_afterCommit_failsAsOutsideATransaction(String name, PgOutputMessage change) {
        map(USERS, ORDERS, begin(LSN), INSERT, commit(LSN));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mapper.map(change));

        assertEquals(name + " arrived outside a transaction: expected a Begin first", e.getMessage());
    }

    @Test
    void commit_beforeAnyBegin_failsNamingItsLsn() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mapper.map(commit(LSN)));

        assertEquals("Commit at 2/100 arrived outside a transaction: expected a Begin first", e.getMessage());
    }

    @Test
    void commit_lsnOtherThanBeginsFinalLsn_failsNamingBoth() {
        map(begin(LSN));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mapper.map(commit(LSN + 0x10)));

        assertEquals("Commit LSN 2/110 does not match the final LSN 2/100 announced by the transaction's Begin", e.getMessage());
    }

    @Test
    void begin_whileATransactionIsOpen_failsNamingBothLsns() {
        map(begin(LSN));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mapper.map(begin(LSN + 0x80)));

        assertEquals("Begin of the transaction committing at 2/180 arrived while the transaction committing at 2/100"
                + " is still open: expected its Commit first", e.getMessage());
    }

    @Test
    void insert_unknownRelation_failsNamingTheOid() {
        map(begin(LSN));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mapper.map(INSERT));

        assertEquals("unknown relation OID 16400: no Relation message has described it in this replication session",
                e.getMessage());
    }

    @Test
    void truncate_oneUnknownRelation_failsNamingThatOid() {
        map(USERS, begin(LSN));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> mapper.map(new Truncate(true, true, List.of(USERS_OID, 99L))));

        assertEquals("unknown relation OID 99: no Relation message has described it in this replication session", e.getMessage());
    }

    @Test
    void truncate_noRelations_fails() {
        map(begin(LSN));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mapper.map(new Truncate(false, false, List.of())));

        assertEquals("Truncate lists no relations", e.getMessage());
    }

    @Test
    void insert_unchangedToast_failsNamingTableAndColumn() {
        map(USERS, begin(LSN));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mapper.map(new Insert(USERS_OID, List.of(int4(1), text("a"), ColumnValue.UNCHANGED_TOAST))));

        assertEquals("Insert on public.users (relation OID 16400) has an unchanged TOAST value in column \"bio\":"
                + " a new row always carries its values", e.getMessage());
    }

    @Test
    void insert_moreValuesThanColumns_failsNamingBothCounts() {
        map(ORDERS, begin(LSN));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mapper.map(new Insert(ORDERS_OID, List.of(int4(1), text("a"), text("b")))));

        assertEquals("Insert on sales.orders (relation OID 16410): its new tuple has width 3 but the relation has 2 columns;"
                + " the stream and its Relation messages disagree", e.getMessage());
    }

    @Test
    void update_oldTupleNarrowerThanRelation_failsNamingBothCounts() {
        map(USERS, begin(LSN));
        Update update = new Update(USERS_OID, Optional.of(new OldTuple(OldTuple.Kind.FULL_ROW, List.of(int4(1)))),
                List.of(int4(1), text("a"), text("b")));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mapper.map(update));

        assertEquals("Update on public.users (relation OID 16400): its old tuple has width 1 but the relation has 3 columns;"
                + " the stream and its Relation messages disagree", e.getMessage());
    }

    @Test
    void delete_keyTupleNarrowerThanRelation_failsNamingBothCounts() {
        map(USERS, begin(LSN));
        Delete delete = new Delete(USERS_OID, new OldTuple(OldTuple.Kind.KEY, List.of(int4(1))));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mapper.map(delete));

        assertEquals("Delete on public.users (relation OID 16400): its old tuple has width 1 but the relation has 3 columns;"
                + " the stream and its Relation messages disagree", e.getMessage());
    }
}
