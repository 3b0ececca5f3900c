package dev.pgcapture.consumer;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change of a table, as a handler receives it: what happened ({@link #operation()}), to
 * which table, the new and old row as instances of the model {@code T} (or as {@link Row}s for
 * tables without a model), and where it stands in the stream.
 *
 * @param <T> the model class of the table, or {@link Row}
 */
public final class Change<T> {

    /** The tables and options of one {@code TRUNCATE} statement. */
    public record Truncate(List<TableName> tables, boolean cascade, boolean restartIdentity) {
        public Truncate {
            tables = List.copyOf(tables);
        }
    }

    private final Operation operation;
    private final TableName table;
    private final T newRow;
    private final T oldRow;
    private final Row newValues;
    private final Row oldValues;
    private final Checkpoint checkpoint;
    private final Instant commitTime;
    private final Lsn snapshotLsn;
    private final Truncate truncate;

    Change(Operation operation, TableName table, T newRow, T oldRow, Row newValues, Row oldValues, Checkpoint checkpoint,
            Instant commitTime, Lsn snapshotLsn, Truncate truncate) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.table = Objects.requireNonNull(table, "table");
        this.newRow = newRow;
        this.oldRow = oldRow;
        this.newValues = newValues;
        this.oldValues = oldValues;
        this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
        this.commitTime = commitTime;
        this.snapshotLsn = snapshotLsn;
        this.truncate = truncate;
    }

    /** What happened. */
    public Operation operation() {
        return operation;
    }

    /** Whether this is a row of a dump ({@link Operation#DUMP}) rather than a change at the source. */
    public boolean isDump() {
        return operation == Operation.DUMP;
    }

    /** The table; for a {@code TRUNCATE}, the table of the handler that receives it. */
    public TableName table() {
        return table;
    }

    /** The new row ({@code INSERT}, {@code UPDATE}, {@code DUMP}), else {@code null}. */
    public T newRow() {
        return newRow;
    }

    /**
     * The old row: the key of a deleted row, or of an updated row whose key changed, or the
     * whole old row under {@code REPLICA IDENTITY FULL}; else {@code null}. Columns the old row
     * does not carry are {@code null} (or {@link PgValue#absent()}).
     */
    public T oldRow() {
        return oldRow;
    }

    /** The new row's columns as they came, or {@code null} when there is no new row. */
    public Row newValues() {
        return newValues;
    }

    /** The old row's columns as they came, or {@code null} when there is no old row. */
    public Row oldValues() {
        return oldValues;
    }

    /**
     * The change's position in the stream, as the gateway acknowledges it: for a change at the
     * source the commit LSN of its transaction and its sequence in it; for a dump row LSN 0.
     */
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /**
     * When the change's transaction committed at the source (millisecond precision), or
     * {@code null} for a dump row, or when the stream does not say (a gateway or topic from
     * before commit times were recorded).
     */
    public Instant commitTime() {
        return commitTime;
    }

    /** For a {@code DUMP} row, the source LSN as of which it was read (a change after it is newer); else {@code null}. */
    public Lsn snapshotLsn() {
        return snapshotLsn;
    }

    /** For a {@code TRUNCATE}, every table the statement truncated and its options; else {@code null}. */
    public Truncate truncate() {
        return truncate;
    }

    /**
     * The change as one line of JSON: {@code op}, {@code schema}, {@code table},
     * {@code checkpoint} ({@code lsn} as {@code 0/16B3748}, {@code seq}), {@code commit_time}
     * (ISO-8601) when known, {@code snapshot_lsn} for a dump row, {@code new} and {@code old} as
     * {@link Row#toJson()} writes them, and for a {@code TRUNCATE} its {@code tables},
     * {@code cascade} and {@code restart_identity}. What {@code pgcapture tail} prints.
     */
    public String toJson() {
        return ChangeJson.line(this);
    }

    @Override
    public String toString() {
        return operation + " " + table + " at " + checkpoint + (newValues != null ? " new " + newValues.toJson() : "")
                + (oldValues != null ? " old " + oldValues.toJson() : "");
    }
}
