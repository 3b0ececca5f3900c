package dev.pgcapture.consumer;

import static dev.pgcapture.consumer.Rows.column;
import static dev.pgcapture.consumer.Rows.row;
import static dev.pgcapture.consumer.Rows.sqlNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.TableName;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DdlEvent} bound from rows shaped as the event triggers insert them into
 * {@code pgcapture.ddl_logs} (see the agent's {@code setup.sql}), each value in PostgreSQL's
 * binary form.
 */
class DdlEventTest {

    private static final ModelType<DdlEvent> MODEL = ModelType.of(DdlEvent.class);
    private static final Instant LOGGED_AT = Instant.parse("2025-03-01T12:00:00.123456Z");
    private static final String TABLES = "{\"16385\": {\"schema\": \"public\", \"table\": \"items\", \"relkind\": \"r\", "
            + "\"replica_identity\": \"default\", \"columns\": {\"1\": {\"name\": \"id\", \"type_schema\": \"pg_catalog\", "
            + "\"type_name\": \"int8\", \"type_oid\": 20, \"type_sql\": \"bigint\", \"not_null\": true, \"default\": null, "
            + "\"primary_key\": true, \"primary_key_position\": 1, \"identity\": \"always\", \"generated\": null, "
            + "\"binary_sendable\": true}}, \"types\": {}}}";
    private static final String DROPPED = "[{\"class\": \"pg_class\", \"oid\": 16385, \"subid\": 0, \"type\": \"table\", "
            + "\"schema\": \"public\", \"name\": \"items\", \"identity\": \"public.items\", \"original\": true, \"normal\": false}]";

    @Test
    void model_isTheKeyedModelOfPgcaptureDdlLogs() {
        assertEquals(new TableName("pgcapture", "ddl_logs"), MODEL.table());
        assertTrue(MODEL.hasKey());
        assertEquals(List.of(7L), MODEL.key(ddlCommandEnd()));
        Handlers.of(DdlEvent.class, change -> { });
    }

    @Test
    void bind_ddlCommandEndRow_givesEveryColumnToItsComponent() throws DecodeFailure {
        DdlEvent event = MODEL.bind(ddlCommandEnd());
        assertEquals(new DdlEvent(7, "ddl_command_end", List.of("CREATE TABLE", "CREATE INDEX"),
                "CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY); CREATE INDEX ON items (id);",
                TABLES, "[]", "[]", "app_owner", LOGGED_AT), event);
        assertTrue(event.isCommandEnd());
        assertFalse(event.isDrop());
        assertFalse(event.isRewrite());
    }

    @Test
    void bind_sqlDropRowWithoutQuery_givesTheDroppedObjectsAndNullQuery() throws DecodeFailure {
        DdlEvent event = MODEL.bind(row(column("id", Rows.INT8, int8(8)), column("event", Rows.TEXT, text("sql_drop")),
                column("tags", 1009, textArray("DROP TABLE")), sqlNull("query", Rows.TEXT), column("tables", Rows.JSONB, jsonb("{}")),
                column("dropped", Rows.JSONB, jsonb(DROPPED)), column("rewritten", Rows.JSONB, jsonb("[]")),
                column("role_name", 19, text("postgres")), column("logged_at", Rows.TIMESTAMPTZ, timestamptz(LOGGED_AT))));
        assertTrue(event.isDrop());
        assertEquals(List.of("DROP TABLE"), event.tags());
        assertNull(event.query());
        assertEquals(DROPPED, event.dropped());
        assertEquals("{}", event.tables());
    }

    @Test
    void toJson_embedsTheJsonbColumnsAsJson() {
        String json = ddlCommandEnd().toJson();
        assertTrue(json.contains("\"tables\":" + TABLES + ",\"dropped\":[],\"rewritten\":[]"), json);
        assertTrue(json.contains("\"tags\":[\"CREATE TABLE\",\"CREATE INDEX\"]"), json);
    }

    private static Row ddlCommandEnd() {
        return row(column("id", Rows.INT8, int8(7)), column("event", Rows.TEXT, text("ddl_command_end")),
                column("tags", 1009, textArray("CREATE TABLE", "CREATE INDEX")),
                column("query", Rows.TEXT, text("CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY); "
                        + "CREATE INDEX ON items (id);")),
                column("tables", Rows.JSONB, jsonb(TABLES)), column("dropped", Rows.JSONB, jsonb("[]")),
                column("rewritten", Rows.JSONB, jsonb("[]")), column("role_name", 19, text("app_owner")),
                column("logged_at", Rows.TIMESTAMPTZ, timestamptz(LOGGED_AT)));
    }

    private static String int8(long value) {
        return HexFormat.of().formatHex(ByteBuffer.allocate(8).putLong(value).array());
    }

    /** text, name: the UTF-8 bytes. */
    private static String text(String value) {
        return HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
    }

    /** jsonb: version 1, then the text. */
    private static String jsonb(String value) {
        return "01" + text(value);
    }

    /** timestamptz: microseconds since 2000-01-01 00:00 UTC. */
    private static String timestamptz(Instant value) {
        return int8(ChronoUnit.MICROS.between(Instant.parse("2000-01-01T00:00:00Z"), value));
    }

    /** text[] ({@code array_send}): one dimension, no NULLs, element type text. */
    private static String textArray(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(20).putInt(1).putInt(0).putInt(Rows.TEXT).putInt(values.length).putInt(1);
        out.writeBytes(header.array());
        for (String value : values) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return HexFormat.of().formatHex(out.toByteArray());
    }
}
