package dev.pgcapture.agent.replica;

import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the row changes of a replica transaction, in commit order, into {@link Run}s and hands
 * each finished run to a {@link Writer}, so that the runs, applied in order, give the same rows
 * as the changes one by one. A run ends when the next change does not fit it (another table,
 * operation or column set, or a key it already touches), when it is full, or on {@link #flush}
 * (before a DDL event or TRUNCATE, and before the replica transaction commits).
 */
final class RunGrouper {

    /** Applies one run. */
    interface Writer {
        void write(Run run) throws SQLException, ApplyException;
    }

    private final Writer writer;
    private Run current;

    RunGrouper(Writer writer) {
        this.writer = writer;
    }

    /** Adds the next row change; may write the run before it. */
    void add(RowChange change) throws SQLException, ApplyException {
        Run.Row row = prepare(change);
        if (current != null && !current.accepts(row)) {
            flush();
        }
        if (current == null) {
            current = new Run(row);
        } else {
            current.add(row);
        }
        if (current.full()) {
            flush();
        }
    }

    /** Writes the open run, if any. */
    void flush() throws SQLException, ApplyException {
        if (current != null) {
            Run run = current;
            current = null;
            writer.write(run);
        }
    }

    /** Forgets the open run without writing it (the replica transaction is rolled back). */
    void discard() {
        current = null;
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
