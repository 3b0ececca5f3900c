package dev.pgcapture.agent.replica;

import static dev.pgcapture.core.TableName.quoteIdentifier;

import dev.pgcapture.agent.replica.TableStructure.Column;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code ALTER TABLE} statements that take a replica table from one source structure to the
 * next, matching columns by the source's attnum, never by name: a column whose attnum is gone
 * is dropped, a new attnum is added, the same attnum under a new name is renamed. Pure: two
 * structures in, SQL out.
 *
 * <p>Order: move and rename the table; drop a changed primary key; drop columns (generated ones
 * first, as they may depend on the others); rename columns (through temporary names when two
 * swap); add columns; change each kept column (expression, default, identity, type, not-null,
 * in an order PostgreSQL accepts); add the new primary key.
 */
final class StructureDiff {

    /** A change the source made that PostgreSQL cannot make to an existing replica table. */
    static final class CannotAlterException extends Exception {
        CannotAlterException(String message) {
            super(message);
        }
    }

    /** A literal as {@code pg_get_expr} prints it, with an optional cast: {@code 'none'::character varying}, {@code (-1.5)}, {@code true}. */
    private static final Pattern CONSTANT = Pattern.compile(
            "(?:'(?:[^']|'')*'|\\(?-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\\)?|true|false|NULL)(?:::[a-zA-Z_\"][a-zA-Z0-9_ .,()\\[\\]\"$]*)?");

    private final TableStructure old;
    private final TableStructure now;
    private final String table;
    private final List<String> sql = new ArrayList<>();

    private StructureDiff(TableStructure old, TableStructure now) {
        this.old = old;
        this.now = now;
        this.table = now.name().quoted();
    }

    /**
     * The statements that turn a replica table of structure {@code old} into {@code now}; empty
     * when nothing the replica keeps changed.
     *
     * @param primaryKeyConstraint the name of the replica table's primary key constraint, needed
     *     when the key changes; {@code null} when the replica table has none
     * @throws CannotAlterException naming the column and what PostgreSQL cannot change
     */
    static List<String> alter(TableStructure old, TableStructure now, String primaryKeyConstraint) throws CannotAlterException {
        if (old.oid() != now.oid()) {
            throw new IllegalArgumentException("structures of different tables: " + old.oid() + " and " + now.oid());
        }
        StructureDiff diff = new StructureDiff(old, now);
        diff.moveAndRename();
        boolean keyChanged = primaryKeyChanged(old, now);
        if (keyChanged && primaryKeyConstraint != null) {
            diff.alter("DROP CONSTRAINT " + quoteIdentifier(primaryKeyConstraint));
        }
        diff.dropColumns();
        diff.renameColumns();
        diff.addColumns();
        for (Column before : old.columns().values()) {
            Column after = now.columns().get(before.attnum());
            if (after != null) {
                diff.changeColumn(before, after);
            }
        }
        if (keyChanged && !now.primaryKey().isEmpty()) {
            diff.alter("ADD PRIMARY KEY (" + now.primaryKey().stream().map(c -> quoteIdentifier(c.name()))
                    .collect(Collectors.joining(", ")) + ")");
        }
        return List.copyOf(diff.sql);
    }

    /** Whether the primary key's columns (by attnum, in key order) differ. */
    static boolean primaryKeyChanged(TableStructure old, TableStructure now) {
        return !old.primaryKey().stream().map(Column::attnum).toList()
                .equals(now.primaryKey().stream().map(Column::attnum).toList());
    }

    /**
     * Whether {@code now} adds a column whose default is not a plain constant ({@code now()},
     * {@code CURRENT_USER}, …). PostgreSQL evaluates such a default once for the existing rows
     * and stores the value without a rewrite or WAL events for them; the replica's
     * {@code ADD COLUMN} computes its own value, so the table must be seeded again. (Volatile
     * defaults, identity and generated columns rewrite the table on the source, which says so itself.)
     */
    static boolean addsComputedDefault(TableStructure old, TableStructure now) {
        return now.columns().values().stream()
                .filter(c -> !old.columns().containsKey(c.attnum()))
                .anyMatch(c -> c.defaultExpr() != null && !CONSTANT.matcher(c.defaultExpr()).matches());
    }

    private void moveAndRename() {
        String current = old.name().quoted();
        if (!old.schema().equals(now.schema())) {
            sql.add(StructureSql.createSchema(now.schema()));
            sql.add("ALTER TABLE " + current + " SET SCHEMA " + quoteIdentifier(now.schema()));
            current = quoteIdentifier(now.schema()) + "." + quoteIdentifier(old.table());
        }
        if (!old.table().equals(now.table())) {
            sql.add("ALTER TABLE " + current + " RENAME TO " + quoteIdentifier(now.table()));
        }
    }

    private void dropColumns() {
        List<Column> gone = old.columns().values().stream().filter(c -> !now.columns().containsKey(c.attnum())).toList();
        for (boolean generated : new boolean[] {true, false}) {
            for (Column column : gone) {
                if ((column.generated() != null) == generated) {
                    alter("DROP COLUMN " + quoteIdentifier(column.name()));
                }
            }
        }
    }

    private void renameColumns() {
        List<Column> renamed = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (Column before : old.columns().values()) {
            Column after = now.columns().get(before.attnum());
            if (after != null) {
                kept.add(before.name());
                if (!after.name().equals(before.name())) {
                    renamed.add(before);
                }
            }
        }
        boolean swaps = renamed.stream().anyMatch(c -> kept.contains(now.columns().get(c.attnum()).name()));
        Map<Integer, String> current = renamed.stream().collect(Collectors.toMap(Column::attnum, Column::name));
        if (swaps) {
            for (Column column : renamed) {
                String temporary = "pgcapture_renaming_" + column.attnum();
                alter("RENAME COLUMN " + quoteIdentifier(column.name()) + " TO " + quoteIdentifier(temporary));
                current.put(column.attnum(), temporary);
            }
        }
        for (Column column : renamed) {
            alter("RENAME COLUMN " + quoteIdentifier(current.get(column.attnum())) + " TO "
                    + quoteIdentifier(now.columns().get(column.attnum()).name()));
        }
    }

    private void addColumns() {
        for (Column column : now.columns().values()) {
            if (!old.columns().containsKey(column.attnum())) {
                createSequence(column);
                alter("ADD COLUMN " + StructureSql.columnDefinition(column));
            }
        }
    }

    private void changeColumn(Column before, Column after) throws CannotAlterException {
        String column = "ALTER COLUMN " + quoteIdentifier(after.name()) + " ";
        if (before.generated() == null && after.generated() != null) {
            throw new CannotAlterException("column " + quoteIdentifier(after.name()) + " became a generated column ("
                    + after.generated() + "); PostgreSQL cannot turn an existing column into a generated one");
        }
        if (before.generated() != null && after.generated() == null) {
            alter(column + "DROP EXPRESSION");
        } else if (before.generated() != null && !before.generated().equals(after.generated())) {
            alter(column + "SET EXPRESSION AS (" + after.generated() + ")");
        }
        boolean typeChanged = !before.typeSql().equals(after.typeSql());
        String oldDefault = before.defaultExpr();
        if (oldDefault != null && (typeChanged || after.defaultExpr() == null)) {
            alter(column + "DROP DEFAULT"); // before the type changes: the old default may not cast
            oldDefault = null;
        }
        if (before.identity() != null && after.identity() == null) {
            alter(column + "DROP IDENTITY");
        }
        if (typeChanged) {
            alter(column + "TYPE " + after.typeSql()
                    + (after.generated() == null ? " USING " + quoteIdentifier(after.name()) + "::" + after.typeSql() : ""));
        }
        if (after.notNull() && !before.notNull()) {
            alter(column + "SET NOT NULL"); // an identity needs it first
        }
        if (after.identity() != null && !after.identity().equals(before.identity())) {
            String kind = "always".equals(after.identity()) ? "ALWAYS" : "BY DEFAULT";
            alter(column + (before.identity() == null ? "ADD GENERATED " + kind + " AS IDENTITY" : "SET GENERATED " + kind));
        }
        if (after.defaultExpr() != null && !after.defaultExpr().equals(oldDefault)) {
            createSequence(after);
            alter(column + "SET DEFAULT " + after.defaultExpr());
        }
        if (!after.notNull() && before.notNull()) {
            alter(column + "DROP NOT NULL");
        }
    }

    private void createSequence(Column column) {
        StructureSql.sequenceOf(column).ifPresent(sequence -> sql.add("CREATE SEQUENCE IF NOT EXISTS " + sequence));
    }

    private void alter(String action) {
        sql.add("ALTER TABLE " + table + " " + Objects.requireNonNull(action));
    }
}
