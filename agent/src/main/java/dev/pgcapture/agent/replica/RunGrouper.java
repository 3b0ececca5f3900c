package dev.pgcapture.agent.replica;

import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts the row changes of a replica transaction, in commit order, into {@link Run}s, and hands the
 * runs gathered so far to a {@link Writer} all at once on {@link #flush} (before a DDL event or
 * TRUNCATE, before the replica transaction commits) or when they hold {@value #MAX_BUFFERED_ROWS}
 * rows or about {@value #MAX_BUFFERED_BYTES} bytes. The runs, applied in order, give the same rows
 * as the changes one by one.
 *
 * <p>A change joins the latest run of its shape (table, operation, columns written and matched)
 * when that is no earlier than every change it must follow, else it starts a new run at the end.
 * In a table whose rows are independent ({@link Ordering#independentRows}: a primary key and no
 * other unique or exclusion constraint), a change must follow only the earlier changes of the same
 * keys, so changes of different rows may pass one another and interleaved INSERTs, UPDATEs and
 * DELETEs of different rows share a few runs. In any other table it must follow every earlier
 * change of the table: only consecutive changes share a run. A run never touches a key twice.
 */
final class RunGrouper {

    /** At most this many rows are gathered before they are written, and about this many bytes. */
    static final int MAX_BUFFERED_ROWS = 100_000;
    static final long MAX_BUFFERED_BYTES = 64L << 20;

    /** Applies the runs gathered, in order. */
    interface Writer {
        void write(List<Run> runs) throws SQLException, ApplyException;
    }

    /** Says whether a table's changes of different rows may be applied in any order. */
    interface Ordering {
        boolean independentRows(TableStructure table) throws SQLException;
    }

    private final Writer writer;
    private final Ordering ordering;
    private final List<Run> runs = new ArrayList<>();
    private final Map<TableStructure, TableRuns> tables = new IdentityHashMap<>();
    private int rows;
    private long bytes;

    RunGrouper(Writer writer, Ordering ordering) {
        this.writer = writer;
        this.ordering = ordering;
    }

    /** Adds the next row change; may write the runs gathered so far. */
    void add(RowChange change) throws SQLException, ApplyException {
        Run.Row row = prepare(change);
        TableStructure structure = change.table().structure();
        TableRuns table = tables.get(structure);
        if (table == null) {
            table = new TableRuns(ordering.independentRows(structure));
            tables.put(structure, table);
        }
        List<Object> shape = List.of(change.change().getOp(), names(row.values()), names(row.match()));
        Integer candidate = table.open.get(shape);
        int index;
        if (candidate != null && candidate >= table.mustFollow(row) && runs.get(candidate).accepts(row)) {
            index = candidate;
            runs.get(index).add(row);
        } else {
            index = runs.size();
            runs.add(new Run(row));
            table.open.put(shape, index);
        }
        table.touched(index, row);
        if (runs.get(index).full()) {
            table.open.remove(shape);
        }
        rows++;
        bytes += row.bytes();
        if (rows >= MAX_BUFFERED_ROWS || bytes >= MAX_BUFFERED_BYTES) {
            flush();
        }
    }

    /** Writes the runs gathered, if any. */
    void flush() throws SQLException, ApplyException {
        if (runs.isEmpty()) {
            return;
        }
        List<Run> gathered = List.copyOf(runs);
        discard();
        writer.write(gathered);
    }

    /** Forgets the runs gathered without writing them (the replica transaction is rolled back). */
    void discard() {
        runs.clear();
        tables.clear();
        rows = 0;
        bytes = 0;
    }

    /** Where one table's changes went among the runs gathered. */
    private static final class TableRuns {

        private final boolean independentRows;
        /** The index of the latest run of each shape that may take more rows. */
        private final Map<List<Object>, Integer> open = new HashMap<>();
        /** The index of the latest run touching each key (tables with independent rows only). */
        private final Map<List<Field>, Integer> keys = new HashMap<>();
        private int latest = -1;

        TableRuns(boolean independentRows) {
            this.independentRows = independentRows;
        }

        /** The index of the latest run {@code row} must come after (or in, if it has no key in common). */
        int mustFollow(Run.Row row) {
            if (!independentRows) {
                return latest;
            }
            int after = -1;
            for (List<Field> key : row.keys()) {
                after = Math.max(after, keys.getOrDefault(key, -1));
            }
            return after;
        }

        void touched(int index, Run.Row row) {
            latest = Math.max(latest, index);
            if (independentRows) {
                for (List<Field> key : row.keys()) {
                    keys.put(key, index);
                }
            }
        }
    }

    private static List<String> names(List<Field> fields) {
        List<String> names = new ArrayList<>(fields.size());
        for (Field field : fields) {
            names.add(field.getName());
        }
        return names;
    }

    /** Splits a change into the columns to write, the columns to match and the keys it touches. */
    static Run.Row prepare(RowChange source) throws ApplyException {
        TableStructure table = source.table().structure();
        Change change = source.change();
        List<Field> values = known(source, change.getNewList(), "new", true);
        List<Field> old = known(source, change.getOldList(), "old", false);
        List<TableStructure.Column> key = table.primaryKey();
        long bytes = size(values) + size(old);
        switch (change.getOp()) {
            case INSERT -> {
                return new Run.Row(source, values, List.of(), key.isEmpty() ? List.of() : List.of(keyOf(source, values, key, "new")), bytes);
            }
            case UPDATE -> {
                if (key.isEmpty()) {
                    return new Run.Row(source, values, requireOld(source, old), List.of(), bytes);
                }
                List<Field> newKey = keyOf(source, values, key, "new");
                List<Field> oldKey = old.isEmpty() ? null : keyOf(source, old, key, "old");
                if (oldKey == null || sameValues(oldKey, newKey)) {
                    return new Run.Row(source, values, List.of(), List.of(newKey), bytes);
                }
                return new Run.Row(source, values, oldKey, List.of(oldKey, newKey), bytes);
            }
            case DELETE -> {
                if (key.isEmpty()) {
                    return new Run.Row(source, List.of(), requireOld(source, old), List.of(), bytes);
                }
                List<Field> oldKey = keyOf(source, old, key, "old");
                return new Run.Row(source, List.of(), oldKey, List.of(oldKey), bytes);
            }
            default -> throw new ApplyException(source.commitLsn(), table.name().quoted(), "a " + change.getOp() + " is not a row change");
        }
    }

    /** The fields of columns the replica table has; generated columns are never written. */
    private static List<Field> known(RowChange source, List<Field> fields, String tuple, boolean dropGenerated) throws ApplyException {
        TableStructure table = source.table().structure();
        List<Field> known = new ArrayList<>(fields.size());
        for (Field field : fields) {
            TableStructure.Column column = table.column(field.getName());
            if (column == null) {
                throw new ApplyException(source.commitLsn(), table.name().quoted(), "the " + tuple + " row has a column \"" + field.getName()
                        + "\" that the replica's structure of the table does not have (columns: "
                        + table.columns().values().stream().map(TableStructure.Column::name).toList() + ")");
            }
            if (!(dropGenerated && column.generated() != null)) {
                known.add(field);
            }
        }
        return known;
    }

    private static List<Field> requireOld(RowChange source, List<Field> old) throws ApplyException {
        if (old.isEmpty()) {
            throw new ApplyException(source.commitLsn(), source.table().structure().name().quoted(), "an " + source.change().getOp()
                    + " without the old row cannot be matched: the table has no primary key, so the source table needs "
                    + "REPLICA IDENTITY FULL or a primary key");
        }
        return old;
    }

    /** The key columns' fields in key order, with their values (names and OIDs taken from the key). */
    private static List<Field> keyOf(RowChange source, List<Field> fields, List<TableStructure.Column> key, String tuple) throws ApplyException {
        List<Field> values = new ArrayList<>(key.size());
        for (TableStructure.Column column : key) {
            Field found = null;
            for (Field field : fields) {
                if (field.getName().equals(column.name())) {
                    found = field;
                    break;
                }
            }
            if (found == null) {
                throw new ApplyException(source.commitLsn(), source.table().structure().name().quoted(), "the " + tuple
                        + " row of an " + source.change().getOp() + " lacks the primary key column \"" + column.name() + "\"");
            }
            values.add(found);
        }
        return values;
    }

    private static boolean sameValues(List<Field> a, List<Field> b) {
        for (int i = 0; i < a.size(); i++) {
            Field x = a.get(i);
            Field y = b.get(i);
            if (x.getValueCase() != y.getValueCase() || !x.getBinary().equals(y.getBinary()) || !x.getText().equals(y.getText())) {
                return false;
            }
        }
        return true;
    }

    private static long size(List<Field> fields) {
        long size = 0;
        for (Field field : fields) {
            size += 4 + field.getBinary().size() + field.getText().length();
        }
        return size;
    }
}
