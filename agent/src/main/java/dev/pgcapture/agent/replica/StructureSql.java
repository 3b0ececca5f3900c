package dev.pgcapture.agent.replica;

import dev.pgcapture.core.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SQL that gives a replica a table of a given {@link TableStructure}. Identifiers are always
 * quoted; type names, defaults and generation expressions are the source's own
 * {@code format_type}/{@code pg_get_expr} output, which {@code pgcapture.table_structure} renders
 * with only {@code pg_catalog} on the search path, so every other schema's objects come
 * qualified.
 */
public final class StructureSql {

    private static final Pattern NEXTVAL = Pattern.compile("^nextval\\('((?:[^']|'')+)'::regclass\\)$");
    private static final String IDENTIFIER = "(?:[a-z_][a-z0-9_$]*|\"(?:[^\"]|\"\")+\")";
    private static final Pattern QUALIFIED_NAME = Pattern.compile(IDENTIFIER + "(?:\\." + IDENTIFIER + ")?");

    private StructureSql() {
    }

    /**
     * The statements that create the table: first the sequences its {@code nextval} defaults
     * need (a serial column's sequence is not replicated, the default still has to resolve),
     * then {@code CREATE TABLE} with its columns, defaults, identity, generated columns, not-null
     * constraints and primary key.
     */
    public static List<String> createTable(TableStructure table) {
        List<String> statements = new ArrayList<>();
        for (TableStructure.Column column : table.columns().values()) {
            sequenceOf(column).ifPresent(sequence -> statements.add("CREATE SEQUENCE IF NOT EXISTS " + sequence));
        }
        List<String> parts = new ArrayList<>();
        for (TableStructure.Column column : table.columns().values()) {
            parts.add(columnDefinition(column));
        }
        List<TableStructure.Column> key = table.primaryKey();
        if (!key.isEmpty()) {
            parts.add("PRIMARY KEY (" + key.stream().map(c -> TableName.quoteIdentifier(c.name())).collect(Collectors.joining(", ")) + ")");
        }
        statements.add("CREATE TABLE " + table.name().quoted() + " (" + String.join(", ", parts) + ")");
        return statements;
    }

    /** {@code CREATE SCHEMA IF NOT EXISTS}, for a table that goes to a schema the replica may not have yet. */
    public static String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + TableName.quoteIdentifier(schema);
    }

    /** {@code DROP TABLE IF EXISTS}: the replica table of a table the source dropped. */
    public static String dropTable(TableName table) {
        return "DROP TABLE IF EXISTS " + table.quoted();
    }

    /** {@code "name" type [GENERATED …] [DEFAULT …] [NOT NULL]}, as in {@code CREATE TABLE} or {@code ADD COLUMN}. */
    public static String columnDefinition(TableStructure.Column column) {
        StringBuilder sql = new StringBuilder(TableName.quoteIdentifier(column.name())).append(' ').append(column.typeSql());
        if (column.generated() != null) {
            sql.append(" GENERATED ALWAYS AS (").append(column.generated()).append(") STORED");
        } else if (column.identity() != null) {
            sql.append(" GENERATED ").append("always".equals(column.identity()) ? "ALWAYS" : "BY DEFAULT").append(" AS IDENTITY");
        } else if (column.defaultExpr() != null) {
            sql.append(" DEFAULT ").append(column.defaultExpr());
        }
        if (column.notNull() && !column.primaryKey() && column.identity() == null) {
            sql.append(" NOT NULL");
        }
        return sql.toString();
    }

    /**
     * The sequence a {@code nextval('…'::regclass)} default names, as SQL (already quoted and
     * qualified by the source), or empty for any other default.
     */
    public static Optional<String> sequenceOf(TableStructure.Column column) {
        if (column.defaultExpr() == null || column.identity() != null) {
            return Optional.empty();
        }
        Matcher m = NEXTVAL.matcher(column.defaultExpr());
        if (!m.matches()) {
            return Optional.empty();
        }
        // regclass output is a quoted, qualified name; anything else is not spliced into SQL.
        String name = m.group(1).replace("''", "'");
        return QUALIFIED_NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }
}
