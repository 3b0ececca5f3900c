package dev.pgcapture.agent.capture;

import static dev.pgcapture.agent.capture.Fixtures.INT4;
import static dev.pgcapture.agent.capture.Fixtures.ORDERS;
import static dev.pgcapture.agent.capture.Fixtures.ORDERS_OID;
import static dev.pgcapture.agent.capture.Fixtures.USERS;
import static dev.pgcapture.agent.capture.Fixtures.USERS_OID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation.Column;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Type;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelationCacheTest {

    private final RelationCache cache = new RelationCache();

    @Test
    void relation_afterPut_isReturnedByItsOid() {
        cache.put(USERS);
        cache.put(ORDERS);

        assertEquals(USERS, cache.relation(USERS_OID));
        assertEquals(ORDERS, cache.relation(ORDERS_OID));
    }

    @Test
    void relation_putAgainForTheSameOid_replacesTheEarlierOne() {
        Relation renamedWithColumn = new Relation(USERS_OID, "public", "people", 'f', List.of(
                new Column(Column.FLAG_KEY, "id", INT4, -1), new Column(0, "age", INT4, -1)));
        cache.put(USERS);

        cache.put(renamedWithColumn);

        assertEquals(renamedWithColumn, cache.relation(USERS_OID));
    }

    @Test
    void relation_unknownOid_failsNamingTheOid() {
        cache.put(USERS);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.relation(4_294_967_295L));

        assertEquals("unknown relation OID 4294967295: no Relation message has described it in this replication session",
                e.getMessage());
    }

    @Test
    void type_afterPut_isReturnedAndReplacedByALaterOne() {
        Type first = new Type(70_000, "public", "mood");
        Type renamed = new Type(70_000, "public", "feeling");

        cache.put(first);
        assertEquals(Optional.of(first), cache.type(70_000));
        cache.put(renamed);
        assertEquals(Optional.of(renamed), cache.type(70_000));
    }

    @Test
    void type_unknownOid_isEmpty() {
        assertEquals(Optional.empty(), cache.type(70_000));
    }
}
