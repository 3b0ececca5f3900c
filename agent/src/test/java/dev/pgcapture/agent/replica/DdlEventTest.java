package dev.pgcapture.agent.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DdlEventTest {

    private static final String TABLES = """
            {"16385": {"schema": "public", "table": "t", "relkind": "r", "replica_identity": "default",
              "columns": {"1": {"name": "id", "type_schema": "pg_catalog", "type_name": "int4", "type_oid": 23,
                                "type_sql": "integer", "not_null": true, "default": null, "primary_key": true,
                                "primary_key_position": 1, "identity": null, "generated": null, "binary_sendable": true},
                          "3": {"name": "mood", "type_schema": "other", "type_name": "mood", "type_oid": 16390,
                                "type_sql": "other.mood", "not_null": false, "default": null, "primary_key": false,
                                "primary_key_position": null, "identity": null, "generated": null, "binary_sendable": true}},
              "types": {"16390": {"schema": "other", "name": "mood"}, "16391": {"schema": "other", "name": "_mood"}}}}""";
    private static final String DROPPED = """
            [{"class": "pg_class", "oid": 16385, "subid": 2, "type": "table column", "schema": "public", "name": null,
              "identity": "public.t.gone", "original": true, "normal": false},
             {"class": "pg_class", "oid": 16400, "subid": 0, "type": "table", "schema": "public", "name": "u",
              "identity": "public.u", "original": true, "normal": false}]""";
    private static final String REWRITTEN = "[{\"oid\": 16385, \"schema\": \"public\", \"table\": \"t\", \"reason\": 4}]";
    /** 2024-05-01 08:00:00.123456 UTC. */
    private static final Instant LOGGED_AT = Instant.parse("2024-05-01T08:00:00.123456Z");

    @Test
    void parse_binaryRow_readsEveryColumn() {
        long micros = (LOGGED_AT.getEpochSecond() - Instant.parse("2000-01-01T00:00:00Z").getEpochSecond()) * 1_000_000L + 123_456;
        Change change = insert(
                binary("id", 20, ByteBuffer.allocate(8).putLong(0, 42).array()),
                binary("event", 25, utf8("ddl_command_end")),
                binary("tags", 1009, textArray("ALTER TABLE", "CREATE INDEX")),
                binary("query", 25, utf8("ALTER TABLE t ADD mood other.mood; INSERT INTO t VALUES (1)")),
                binary("tables", 3802, jsonb(TABLES)),
                binary("dropped", 3802, jsonb(DROPPED)),
                binary("rewritten", 3802, jsonb(REWRITTEN)),
                binary("role_name", 19, utf8("app")),
                binary("logged_at", 1184, ByteBuffer.allocate(8).putLong(0, micros).array()));

        DdlEvent event = DdlEvent.parse(change);

        assertEquals(42, event.id());
        assertEquals(DdlEvent.Kind.DDL_COMMAND_END, event.kind());
        assertEquals(List.of("ALTER TABLE", "CREATE INDEX"), event.tags());
        assertEquals("ALTER TABLE t ADD mood other.mood; INSERT INTO t VALUES (1)", event.query());
        assertEquals(TableStructure.parseAll(TABLES), event.tables());
        assertEquals("other.mood", event.tables().get(16385L).columns().get(3).typeSql(), "columns by attnum, gaps kept");
        assertEquals(java.util.Map.of(16390L, new dev.pgcapture.core.TableName("other", "mood"),
                16391L, new dev.pgcapture.core.TableName("other", "_mood")), event.types(), "the user types the tables contain");
        assertEquals(List.of(new DdlEvent.Dropped("pg_class", 16385, 2, "table column", "public", null, "public.t.gone", true),
                new DdlEvent.Dropped("pg_class", 16400, 0, "table", "public", "u", "public.u", true)), event.dropped());
        assertEquals(List.of(false, true), event.dropped().stream().map(DdlEvent.Dropped::isTable).toList());
        assertEquals(List.of(new DdlEvent.Rewritten(16385, "public", "t", 4)), event.rewritten());
        assertEquals("app", event.role());
        assertEquals(LOGGED_AT, event.loggedAt());
    }

    @Test
    void parse_textRow_readsTheSameValues() {
        Change change = insert(
                text("id", 20, "42"),
                text("event", 25, "sql_drop"),
                text("tags", 1009, "{\"DROP TABLE\",\"x\\\\y\",\"a \\\"b\\\"\",NULL}"),
                Field.newBuilder().setName("query").setOid(25).build(),
                text("tables", 3802, "{}"),
                text("dropped", 3802, DROPPED),
                text("rewritten", 3802, "[]"),
                text("role_name", 19, "postgres"),
                text("logged_at", 1184, "2024-05-01 10:00:00.123456+02"));

        DdlEvent event = DdlEvent.parse(change);

        assertEquals(42, event.id());
        assertEquals(DdlEvent.Kind.SQL_DROP, event.kind());
        assertEquals(java.util.Arrays.asList("DROP TABLE", "x\\y", "a \"b\"", null), event.tags(),
                "quoted elements lose their escapes, an unquoted NULL is null");
        assertEquals(null, event.query(), "a NULL query");
        assertEquals(2, event.dropped().size());
        assertEquals(LOGGED_AT, event.loggedAt());
    }

    @Test
    void parse_textArrayForms() {
        assertEquals(List.of(), PgValues.textArray("{}", "a"));
        assertEquals(List.of("CREATE TABLE AS"), PgValues.textArray("{\"CREATE TABLE AS\"}", "a"));
        assertEquals(List.of("", "b"), PgValues.textArray("{\"\",b}", "a"));
        assertEquals(Instant.parse("2024-05-01T04:30:00Z"), PgValues.timestamptz("2024-05-01 10:00:00+05:30", "t"));
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), PgValues.timestamptz("2024-05-01 10:00:00+00", "t"));
        assertEquals(List.of(), PgValues.binaryTextArray(ByteBuffer.wrap(new byte[12]), "a"), "an empty array has no dimensions");
    }

    @Test
    void parse_malformedRows_nameTheColumn() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DdlEvent.parse(insert(text("event", 25, "ddl_command_end"))));
        assertEquals("the ddl_logs row has no column id", missing.getMessage());

        IllegalArgumentException event = assertThrows(IllegalArgumentException.class,
                () -> DdlEvent.parse(insert(text("event", 25, "login"))));
        assertEquals("unknown ddl_logs event \"login\"", event.getMessage());

        IllegalArgumentException jsonb = assertThrows(IllegalArgumentException.class, () -> DdlEvent.parse(insert(
                text("id", 20, "1"), text("event", 25, "sql_drop"), text("tags", 1009, "{}"), text("query", 25, "DROP TABLE t"),
                binary("tables", 3802, utf8("{}")))));
        assertEquals("ddl_logs.tables is not binary jsonb version 1", jsonb.getMessage());

        IllegalArgumentException array = assertThrows(IllegalArgumentException.class,
                () -> PgValues.binaryTextArray(ByteBuffer.wrap(textArray("a")).limit(22), "ddl_logs.tags"));
        assertTrue(array.getMessage().contains("ddl_logs.tags is a truncated binary array"), array.getMessage());

        IllegalArgumentException update = assertThrows(IllegalArgumentException.class,
                () -> DdlEvent.parse(Change.newBuilder().setOp(Change.Operation.UPDATE).build()));
        assertEquals("a ddl_logs event must be an INSERT, not UPDATE", update.getMessage());
    }

    private static Change insert(Field... fields) {
        return Change.newBuilder().setOp(Change.Operation.INSERT).setSchema("pgcapture").setTable("ddl_logs")
                .addAllNew(List.of(fields)).build();
    }

    private static Field binary(String name, int oid, byte[] value) {
        return Field.newBuilder().setName(name).setOid(oid).setBinary(ByteString.copyFrom(value)).build();
    }

    private static Field text(String name, int oid, String value) {
        return Field.newBuilder().setName(name).setOid(oid).setText(value).build();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] jsonb(String json) {
        byte[] text = utf8(json);
        return ByteBuffer.allocate(1 + text.length).put((byte) 1).put(text).array();
    }

    /** array_send of a one-dimensional text[]. */
    private static byte[] textArray(String... elements) {
        ByteBuffer out = ByteBuffer.allocate(1024);
        out.putInt(1).putInt(0).putInt(25).putInt(elements.length).putInt(1);
        for (String element : elements) {
            byte[] bytes = utf8(element);
            out.putInt(bytes.length).put(bytes);
        }
        byte[] array = new byte[out.position()];
        out.flip().get(array);
        return array;
    }
}
