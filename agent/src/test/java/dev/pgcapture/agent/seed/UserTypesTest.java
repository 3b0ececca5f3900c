package dev.pgcapture.agent.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pgcapture.agent.seed.UserTypes.UserType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserTypesTest {

    @Test
    void types_areCreatedAfterTheTypesTheyAreBuiltFrom_whateverTheirOidOrder() {
        // A composite altered to hold an enum created after it: OID order would create it first.
        UserType composite = type(16400, "pair", 'c', "c", List.of(16500L, 16450L));
        UserType domain = type(16450, "positive", 'd', null, List.of(16500L));
        UserType enumType = type(16500, "mood", 'e', null, List.of());
        Map<Long, UserType> byOid = new LinkedHashMap<>();
        List.of(composite, domain, enumType).forEach(t -> byOid.put(t.oid(), t));

        assertEquals(List.of("mood", "positive", "pair"), UserTypes.dependenciesFirst(byOid).stream().map(UserType::name).toList());
    }

    @Test
    void createSql_quotesTheName_andLeavesExtensionTypesAndTableRowTypesToTheUser() {
        assertEquals("CREATE TYPE \"My\".\"Mo\"\"od\" AS ENUM ('a', 'b''c')",
                new UserType(1, "My", "Mo\"od", 'e', 2, "_Mo\"od", null, null, List.of(), "'a', 'b''c'").createSql());
        assertEquals("CREATE DOMAIN public.positive AS integer NOT NULL",
                new UserType(1, "public", "positive", 'd', 2, "_positive", null, null, List.of(), "integer NOT NULL").createSql());
        assertNull(new UserType(1, "public", "citext", 'b', 2, "_citext", "citext", null, List.of(), null).createSql());
        assertNull(new UserType(1, "public", "orders", 'c', 2, "_orders", null, "r", List.of(), "id integer").createSql());
    }

    @Test
    void splitLabels_keepsCommasAndQuotesInsideLabels() {
        assertEquals(List.of("'a'", "'b, c'", "'it''s'", "E'x\\\\y'"), UserTypes.splitLabels("'a', 'b, c', 'it''s', E'x\\\\y'"));
    }

    private static UserType type(long oid, String name, char kind, String relkind, List<Long> uses) {
        return new UserType(oid, "public", name, kind, oid + 1, "_" + name, null, relkind, uses, "x");
    }
}
