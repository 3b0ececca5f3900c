package dev.pgcapture.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableNameTest {

    @Test
    void parse_unquoted_foldsToLowerCase() {
        assertEquals(new TableName("sales", "orders"), TableName.parse("Sales.ORDERS"));
    }

    @Test
    void parse_quoted_keepsCaseDotsAndDoubledQuotes() {
        assertEquals(new TableName("Public", "T\"1"), TableName.parse("\"Public\".\"T\"\"1\""));
        assertEquals(new TableName("a.b", "c d"), TableName.parse("\"a.b\".\"c d\""));
    }

    @Test
    void parse_withoutSchema_isInPublic() {
        assertEquals(new TableName("public", "orders"), TableName.parse("orders"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a.", ".a", "a.b.c", "\"a", "\"\".t", "a b", "1a", "a-b", "a..b", "s.\"t\"x"})
    void parse_malformed_isRejectedNamingTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableName.parse(text));
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }

    @Test
    void parseList_splitsOnCommasOutsideQuotes() {
        assertEquals(List.of(new TableName("public", "a"), new TableName("Sales", "Line, items"), new TableName("x", "y")),
                TableName.parseList("a, \"Sales\".\"Line, items\" ,x.y"));
    }

    @Test
    void parseList_emptyEntry_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableName.parseList("a,,b"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void quoted_roundTripsThroughParse() {
        for (TableName name : List.of(new TableName("public", "orders"), new TableName("Public", "T\"1"),
                new TableName("s", "select"), new TableName("s", "a b"), new TableName("s", "1abc"))) {
            assertEquals(name, TableName.parse(name.quoted()), name.quoted());
        }
        assertEquals("public.orders", new TableName("public", "orders").quoted());
        assertEquals("s.\"select\"", new TableName("s", "select").quoted());
        assertEquals("\"Public\".\"T\"\"1\"", new TableName("Public", "T\"1").quoted());
    }
}
