package dev.pgcapture.gateway;

import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A consumer's copy of a table {@code (id int PRIMARY KEY, version bigint, ...)}, built from
 * everything it is handed in order: a change is applied (insert and update upsert, delete
 * removes), a dump row is an upsert of that row as of its snapshot. It records every time a
 * row's version goes back below one it already saw, and how often each row came in the dump
 * of each snapshot.
 */
final class Materializer {

    private final String table;
    private final Map<Integer, Long> rows = new ConcurrentHashMap<>();
    private final Map<Integer, Long> highest = new HashMap<>();
    private final List<String> regressions = Collections.synchronizedList(new ArrayList<>());
    private final Map<Long, Map<Integer, Integer>> dumpedBySnapshot = new ConcurrentHashMap<>();
    private final Map<Long, long[]> dumpSpans = new ConcurrentHashMap<>();
    private volatile long changes;
    private volatile long dumpRows;

    Materializer(String table) {
        this.table = table;
    }

    /** Applies one message; messages of other tables are ignored. */
    synchronized void apply(CaptureMessage message) {
        Change change = message.getChange();
        if (!change.getTable().equals(table)) {
            return;
        }
        boolean dumped = message.getCheckpoint().getLsn() == 0;
        if (change.getOp() == Change.Operation.DELETE) {
            rows.remove(int4(field(change.getOldList(), "id")));
            changes++;
            return;
        }
        int id = int4(field(change.getNewList(), "id"));
        long version = int8(field(change.getNewList(), "version"));
        Long seen = highest.get(id);
        if (seen != null && version < seen) {
            regressions.add("row " + id + " went back from version " + seen + " to " + version + " with "
                    + (dumped ? "a dump row as of " + message.getSnapshotLsn() : "the change at " + message.getCheckpoint().getLsn()));
        } else {
            highest.put(id, version);
        }
        rows.put(id, version);
        if (dumped) {
            dumpRows++;
            dumpedBySnapshot.computeIfAbsent(message.getSnapshotLsn(), s -> new ConcurrentHashMap<>()).merge(id, 1, Integer::sum);
            long now = System.nanoTime();
            dumpSpans.computeIfAbsent(message.getSnapshotLsn(), s -> new long[] {now, now})[1] = now;
        } else {
            changes++;
        }
    }

    /** The copy: id to version. */
    Map<Integer, Long> rows() {
        return Map.copyOf(rows);
    }

    List<String> regressions() {
        return List.copyOf(regressions);
    }

    /** For each snapshot LSN, how many times each row came in a dump read in it. */
    Map<Long, Map<Integer, Integer>> dumpedBySnapshot() {
        return dumpedBySnapshot;
    }

    /** How long the rows of the dump at {@code snapshotLsn} took to arrive, from the first to the last. */
    java.time.Duration dumpSpan(long snapshotLsn) {
        long[] span = dumpSpans.get(snapshotLsn);
        return span == null ? java.time.Duration.ZERO : java.time.Duration.ofNanos(span[1] - span[0]);
    }

    long changes() {
        return changes;
    }

    long dumpRows() {
        return dumpRows;
    }

    static Field field(List<Field> row, String name) {
        return row.stream().filter(f -> f.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " in " + row));
    }

    static int int4(Field field) {
        return field.getBinary().asReadOnlyByteBuffer().getInt();
    }

    static long int8(Field field) {
        return field.getBinary().asReadOnlyByteBuffer().getLong();
    }
}
