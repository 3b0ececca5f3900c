package dev.pgcapture.agent.replica;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcapture.core.PostgresTime;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code pgcapture.ddl_logs} row, parsed from the INSERT {@link Change} capture made of it
 * (see {@code dev.pgcapture.agent.setup.DdlLogs} for the columns). Each field may arrive in
 * binary or in text form; both are read. The {@code query} is information only: it is never
 * executed.
 *
 * @param id the row's id, increasing in the order the triggers wrote the rows
 * @param tables {@code ddl_command_end}: each affected table's structure after the command;
 *     {@code table_rewrite}: the rewritten table's structure before the rewrite; keyed by source OID
 * @param types the user types those tables' values contain, by source OID
 */
record DdlEvent(long id, Kind kind, List<String> tags, String query, Map<Long, TableStructure> tables,
        Map<Long, TableName> types, List<Dropped> dropped, List<Rewritten> rewritten, String role, Instant loggedAt) {

    /** The event trigger that wrote the row. */
    enum Kind {
        DDL_COMMAND_END("ddl_command_end"), SQL_DROP("sql_drop"), TABLE_REWRITE("table_rewrite");

        private final String event;

        Kind(String event) {
            this.event = event;
        }

        static Kind of(String event) {
            for (Kind kind : values()) {
                if (kind.event.equals(event)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown ddl_logs event \"" + event + "\"");
        }

        @Override
        public String toString() {
            return event;
        }
    }

    /** One object of {@code pg_event_trigger_dropped_objects()}; {@code subid} is the attnum of a dropped column. */
    record Dropped(String classId, long oid, int subId, String type, String schema, String name, String identity,
            boolean original) {

        /** Whether this is a dropped table (plain or partitioned), not a column, index or other object. */
        boolean isTable() {
            return "pg_class".equals(classId) && "table".equals(type) && subId == 0;
        }
    }

    /** A table {@code table_rewrite} reported: its rows changed without WAL events. */
    record Rewritten(long oid, String schema, String table, int reason) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    DdlEvent {
        Objects.requireNonNull(kind, "kind");
        tags = Collections.unmodifiableList(new ArrayList<>(tags));
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables)); // in the order the row lists them
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        dropped = List.copyOf(dropped);
        rewritten = List.copyOf(rewritten);
    }

    /**
     * Parses the INSERT capture made of a {@code pgcapture.ddl_logs} row.
     *
     * @throws IllegalArgumentException naming the column that is missing or malformed
     */
    static DdlEvent parse(Change insert) {
        if (insert.getOp() != Change.Operation.INSERT) {
            throw new IllegalArgumentException("a ddl_logs event must be an INSERT, not " + insert.getOp());
        }
        Row row = new Row(insert.getNewList());
        Kind kind = Kind.of(row.text("event"));
        long id = row.int8("id");
        List<String> tags = row.textArray("tags");
        String query = row.optionalText("query");
        String tables = row.jsonb("tables");
        String dropped = row.jsonb("dropped");
        String rewritten = row.jsonb("rewritten");
        String role = row.text("role_name");
        Instant loggedAt = row.timestamptz("logged_at");
        try {
            return new DdlEvent(id, kind, tags, query, TableStructure.parseAll(tables), TableStructure.parseTypes(tables), dropped(dropped),
                    rewritten(rewritten), role, loggedAt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ddl_logs row " + id + ": " + e.getMessage(), e);
        }
    }

    private static List<Dropped> dropped(String json) {
        List<Dropped> objects = new ArrayList<>();
        for (JsonNode o : array(json, "dropped")) {
            objects.add(new Dropped(o.path("class").asText(), o.path("oid").asLong(), o.path("subid").asInt(),
                    o.path("type").asText(), textOrNull(o, "schema"), textOrNull(o, "name"), textOrNull(o, "identity"),
                    o.path("original").asBoolean()));
        }
        return objects;
    }

    private static List<Rewritten> rewritten(String json) {
        List<Rewritten> tables = new ArrayList<>();
        for (JsonNode t : array(json, "rewritten")) {
            tables.add(new Rewritten(t.path("oid").asLong(), t.path("schema").asText(), t.path("table").asText(),
                    t.path("reason").asInt()));
        }
        return tables;
    }

    private static JsonNode array(String json, String column) {
        try {
            JsonNode node = JSON.readTree(json);
            if (!node.isArray()) {
                throw new IllegalArgumentException("ddl_logs." + column + " must be a JSON array, not " + node.getNodeType());
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ddl_logs." + column + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The columns of one row image, decoded from binary or text form. */
    private record Row(List<Field> fields) {

        private Field field(String name) {
            for (Field field : fields) {
                if (field.getName().equals(name)) {
                    return field;
                }
            }
            throw new IllegalArgumentException("the ddl_logs row has no column " + name);
        }

        private Field nonNull(String name) {
            Field field = field(name);
            if (field.getValueCase() == Field.ValueCase.VALUE_NOT_SET) {
                throw new IllegalArgumentException("ddl_logs." + name + " is NULL");
            }
            return field;
        }

        String optionalText(String name) {
            Field field = field(name);
            return switch (field.getValueCase()) {
                case BINARY -> field.getBinary().toStringUtf8();
                case TEXT -> field.getText();
                case VALUE_NOT_SET -> null;
            };
        }

        String text(String name) {
            nonNull(name);
            return optionalText(name);
        }

        long int8(String name) {
            Field field = nonNull(name);
            if (field.getValueCase() == Field.ValueCase.TEXT) {
                return Long.parseLong(field.getText());
            }
            if (field.getBinary().size() != Long.BYTES) {
                throw new IllegalArgumentException("ddl_logs." + name + " is not a binary int8: " + field.getBinary().size() + " bytes");
            }
            return field.getBinary().asReadOnlyByteBuffer().getLong();
        }

        String jsonb(String name) {
            Field field = nonNull(name);
            if (field.getValueCase() == Field.ValueCase.TEXT) {
                return field.getText();
            }
            byte[] bytes = field.getBinary().toByteArray();
            if (bytes.length == 0 || bytes[0] != 1) {
                throw new IllegalArgumentException("ddl_logs." + name + " is not binary jsonb version 1");
            }
            return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
        }

        List<String> textArray(String name) {
            Field field = nonNull(name);
            return field.getValueCase() == Field.ValueCase.TEXT
                    ? PgValues.textArray(field.getText(), "ddl_logs." + name)
                    : PgValues.binaryTextArray(field.getBinary().asReadOnlyByteBuffer(), "ddl_logs." + name);
        }

        Instant timestamptz(String name) {
            Field field = nonNull(name);
            if (field.getValueCase() == Field.ValueCase.TEXT) {
                return PgValues.timestamptz(field.getText(), "ddl_logs." + name);
            }
            ByteBuffer bytes = field.getBinary().asReadOnlyByteBuffer();
            if (bytes.remaining() != Long.BYTES) {
                throw new IllegalArgumentException("ddl_logs." + name + " is not a binary timestamptz: " + bytes.remaining() + " bytes");
            }
            long micros = bytes.getLong();
            if (micros == Long.MAX_VALUE || micros == Long.MIN_VALUE) {
                throw new IllegalArgumentException("ddl_logs." + name + " is infinite");
            }
            return PostgresTime.toInstant(micros);
        }
    }
}
