package dev.pgcapture.agent.replica;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgcapture.core.TableName;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The structure of one source table, as {@code pgcapture.table_structure()} describes it in a DDL
 * event ({@code pgcapture.ddl_logs.tables}) and as {@code seed} reads it inside its snapshot:
 * columns keyed by the source's {@code attnum}, so that a replica matches tables by the source's
 * OID and columns by attnum, never by name.
 *
 * @param oid the source's table OID
 * @param relkind {@code r} (table) or {@code p} (partitioned table)
 * @param replicaIdentity {@code default}, {@code nothing}, {@code full} or {@code index}
 * @param columns by attnum, in attnum order; attnums of dropped columns are absent
 */
public record TableStructure(long oid, String schema, String table, String relkind, String replicaIdentity,
        SortedMap<Integer, Column> columns) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public TableStructure {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(relkind, "relkind");
        Objects.requireNonNull(replicaIdentity, "replicaIdentity");
        columns = Collections.unmodifiableSortedMap(new TreeMap<>(columns));
    }

    /**
     * One column.
     *
     * @param typeSql the type as {@code format_type} writes it, with its modifier ({@code numeric(10,2)})
     * @param defaultExpr the default expression, {@code null} when none (and for generated columns)
     * @param primaryKeyPosition the 1-based position in the primary key, {@code null} when not in it
     * @param identity {@code always}, {@code by default} or {@code null}
     * @param generated the generation expression of a stored generated column, else {@code null}
     */
    public record Column(int attnum, String name, String typeSchema, String typeName, long typeOid, String typeSql,
            boolean notNull, String defaultExpr, Integer primaryKeyPosition, String identity, String generated,
            boolean binarySendable) {

        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(typeSchema, "typeSchema");
            Objects.requireNonNull(typeName, "typeName");
            Objects.requireNonNull(typeSql, "typeSql");
        }

        public boolean primaryKey() {
            return primaryKeyPosition != null;
        }
    }

    /** The schema-qualified name. */
    public TableName name() {
        return new TableName(schema, table);
    }

    /** The primary key's columns in key order; empty when the table has none. */
    public List<Column> primaryKey() {
        return columns.values().stream()
                .filter(Column::primaryKey)
                .sorted(Comparator.comparing(Column::primaryKeyPosition))
                .toList();
    }

    /** The column named {@code name}, or {@code null}. */
    public Column column(String name) {
        for (Column column : columns.values()) {
            if (column.name().equals(name)) {
                return column;
            }
        }
        return null;
    }

    /** Parses a {@code {"<oid>": {...}, ...}} object, as in {@code pgcapture.ddl_logs.tables}, keyed by OID. */
    public static Map<Long, TableStructure> parseAll(String json) {
        JsonNode root = read(json);
        if (!root.isObject()) {
            throw new IllegalArgumentException("a table structure map must be a JSON object, not " + root.getNodeType());
        }
        Map<Long, TableStructure> tables = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            long oid = Long.parseLong(entry.getKey());
            tables.put(oid, fromJson(oid, entry.getValue()));
        }
        return tables;
    }

    /**
     * The user types the tables' values contain, by source OID, from each table's {@code "types"}
     * object in a {@code {"<oid>": {...}, ...}} map (empty when the source does not list them).
     */
    public static Map<Long, TableName> parseTypes(String json) {
        JsonNode root = read(json);
        Map<Long, TableName> types = new LinkedHashMap<>();
        for (JsonNode table : root) {
            for (Iterator<Map.Entry<String, JsonNode>> it = table.path("types").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                long oid;
                try {
                    oid = Long.parseLong(entry.getKey());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("a table structure lists type \"" + entry.getKey() + "\", which is not an OID", e);
                }
                JsonNode schema = entry.getValue().get("schema");
                JsonNode name = entry.getValue().get("name");
                if (schema == null || !schema.isTextual() || name == null || !name.isTextual()) {
                    throw new IllegalArgumentException("type " + oid + " in a table structure has no \"schema\" and \"name\"");
                }
                types.put(oid, new TableName(schema.asText(), name.asText()));
            }
        }
        return types;
    }

    /** Parses one table's {@code {"schema": …, "columns": {…}}} object. */
    public static TableStructure parse(long oid, String json) {
        return fromJson(oid, read(json));
    }

    /** This structure as one element of {@code pgcapture.ddl_logs.tables}: {@code {"schema": …, "columns": {…}}}. */
    public String toJson() {
        ObjectNode table = JsonNodeFactory.instance.objectNode();
        table.put("schema", schema);
        table.put("table", this.table);
        table.put("relkind", relkind);
        table.put("replica_identity", replicaIdentity);
        ObjectNode cols = table.putObject("columns");
        for (Column c : columns.values()) {
            ObjectNode col = cols.putObject(Integer.toString(c.attnum()));
            col.put("name", c.name());
            col.put("type_schema", c.typeSchema());
            col.put("type_name", c.typeName());
            col.put("type_oid", c.typeOid());
            col.put("type_sql", c.typeSql());
            col.put("not_null", c.notNull());
            col.put("default", c.defaultExpr());
            col.put("primary_key", c.primaryKey());
            if (c.primaryKeyPosition() == null) {
                col.putNull("primary_key_position");
            } else {
                col.put("primary_key_position", c.primaryKeyPosition());
            }
            col.put("identity", c.identity());
            col.put("generated", c.generated());
            col.put("binary_sendable", c.binarySendable());
        }
        return table.toString();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a table structure: " + e.getOriginalMessage(), e);
        }
    }

    private static TableStructure fromJson(long oid, JsonNode node) {
        SortedMap<Integer, Column> columns = new TreeMap<>();
        JsonNode cols = node.path("columns");
        for (Iterator<Map.Entry<String, JsonNode>> it = cols.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            int attnum = Integer.parseInt(entry.getKey());
            JsonNode c = entry.getValue();
            columns.put(attnum, new Column(attnum, required(c, "name", oid), required(c, "type_schema", oid),
                    required(c, "type_name", oid), c.path("type_oid").asLong(), required(c, "type_sql", oid),
                    c.path("not_null").asBoolean(), text(c, "default"), primaryKeyPosition(c, attnum),
                    text(c, "identity"), text(c, "generated"), c.path("binary_sendable").asBoolean(true)));
        }
        return new TableStructure(oid, required(node, "schema", oid), required(node, "table", oid),
                node.path("relkind").asText("r"), node.path("replica_identity").asText("default"), columns);
    }

    private static Integer primaryKeyPosition(JsonNode c, int attnum) {
        JsonNode position = c.get("primary_key_position");
        if (position != null && !position.isNull()) {
            return position.asInt();
        }
        // Without a recorded position, a key column orders by attnum.
        return c.path("primary_key").asBoolean() ? attnum : null;
    }

    private static String required(JsonNode node, String field, long oid) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the structure of table " + oid + " has no \"" + field + "\"");
        }
        return value.asText();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
