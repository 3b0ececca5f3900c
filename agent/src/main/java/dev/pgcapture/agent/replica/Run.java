package dev.pgcapture.agent.replica;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Change.Operation;
import dev.pgcapture.proto.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Row changes of one table that one set-based statement applies: same operation, same columns
 * written (an UPDATE's unchanged TOAST columns are left out, so updates group by which columns
 * they set), same columns matched, each column's values all binary or all text, and no primary
 * key touched twice (a set-based statement sees the table as it was before it, so a second change
 * of the same row must wait for a later run). {@link RunGrouper} decides which changes may share
 * a run.
 */
final class Run {

    /** At most this many rows per run, and about this many bytes of values. */
    static final int MAX_ROWS = 10_000;
    static final long MAX_BYTES = 16L << 20;

    /** How a column's values arrive in a run: not yet known (only NULLs so far), binary or text. */
    enum Kind { UNKNOWN, BINARY, TEXT }

    /**
     * One change prepared for a run.
     *
     * @param values the columns to write (INSERT, UPDATE): present, not generated
     * @param match the old columns to find the row by (UPDATE that changes the key, DELETE, and
     *     every UPDATE or DELETE of a table without a primary key); empty when the row is found by
     *     the key in {@code values}
     * @param keys the primary key values the change touches (old and new), empty without a key
     */
    record Row(RowChange source, List<Field> values, List<Field> match, List<List<Field>> keys, long bytes) {
    }

    private final ReplicaTables.Table table;
    private final Operation op;
    private final List<String> valueNames;
    private final List<String> matchNames;
    private final Kind[] valueKinds;
    private final Kind[] matchKinds;
    private final List<Row> rows = new ArrayList<>();
    private final Set<List<Field>> keys = new HashSet<>();
    private long bytes;

    Run(Row first) {
        this.table = first.source().table();
        this.op = first.source().change().getOp();
        this.valueNames = first.values().stream().map(Field::getName).toList();
        this.matchNames = first.match().stream().map(Field::getName).toList();
        this.valueKinds = new Kind[valueNames.size()];
        this.matchKinds = new Kind[matchNames.size()];
        java.util.Arrays.fill(valueKinds, Kind.UNKNOWN);
        java.util.Arrays.fill(matchKinds, Kind.UNKNOWN);
        add(first);
    }

    /** Whether {@code row} can join this run. */
    boolean accepts(Row row) {
        Change change = row.source().change();
        return row.source().table().structure() == table.structure()
                && change.getOp() == op
                && sameNames(row.values(), valueNames)
                && sameNames(row.match(), matchNames)
                && compatible(row.values(), valueKinds)
                && compatible(row.match(), matchKinds)
                && row.keys().stream().noneMatch(keys::contains);
    }

    void add(Row row) {
        rows.add(row);
        keys.addAll(row.keys());
        record(row.values(), valueKinds);
        record(row.match(), matchKinds);
        bytes += row.bytes();
    }

    /** Whether the run has reached its size limit. */
    boolean full() {
        return rows.size() >= MAX_ROWS || bytes >= MAX_BYTES;
    }

    ReplicaTables.Table table() {
        return table;
    }

    Operation op() {
        return op;
    }

    List<String> valueNames() {
        return valueNames;
    }

    List<String> matchNames() {
        return matchNames;
    }

    Kind valueKind(int i) {
        return valueKinds[i];
    }

    Kind matchKind(int i) {
        return matchKinds[i];
    }

    List<Row> rows() {
        return rows;
    }

    Lsn firstLsn() {
        return rows.getFirst().source().commitLsn();
    }

    Lsn lastLsn() {
        return rows.getLast().source().commitLsn();
    }

    /** {@code "3 UPDATEs of 2 columns (source transactions committed at A to B)"}, for errors and logs. */
    String describe() {
        String range = firstLsn().equals(lastLsn()) ? "the source transaction committed at " + firstLsn()
                : "source transactions committed at " + firstLsn() + " to " + lastLsn();
        return rows.size() + " " + op + (rows.size() == 1 ? "" : "s") + " (" + range + ")";
    }

    private static boolean sameNames(List<Field> fields, List<String> names) {
        if (fields.size() != names.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.get(i).getName().equals(names.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean compatible(List<Field> fields, Kind[] kinds) {
        for (int i = 0; i < kinds.length; i++) {
            Kind kind = kindOf(fields.get(i));
            if (kind != Kind.UNKNOWN && kinds[i] != Kind.UNKNOWN && kind != kinds[i]) {
                return false;
            }
        }
        return true;
    }

    private static void record(List<Field> fields, Kind[] kinds) {
        for (int i = 0; i < kinds.length; i++) {
            Kind kind = kindOf(fields.get(i));
            if (kind != Kind.UNKNOWN) {
                kinds[i] = kind;
            }
        }
    }

    static Kind kindOf(Field field) {
        return switch (field.getValueCase()) {
            case BINARY -> Kind.BINARY;
            case TEXT -> Kind.TEXT;
            case VALUE_NOT_SET -> Kind.UNKNOWN;
        };
    }
}
