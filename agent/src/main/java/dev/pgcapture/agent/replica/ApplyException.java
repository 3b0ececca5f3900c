package dev.pgcapture.agent.replica;

import dev.pgcapture.core.Lsn;

/**
 * A change the applier cannot apply. It stops the applier, which never skips a change: the
 * message names the source transaction's commit LSN, the table and the reason, and the replica
 * keeps its last checkpoint, so the change is applied again once the cause is fixed.
 */
public final class ApplyException extends Exception {

    private final Lsn commitLsn;
    private final String table;

    public ApplyException(Lsn commitLsn, String table, String reason, Throwable cause) {
        super("cannot apply the source transaction committed at " + commitLsn
                + (table == null ? "" : " to table " + table) + ": " + reason, cause);
        this.commitLsn = commitLsn;
        this.table = table;
    }

    public ApplyException(Lsn commitLsn, String table, String reason) {
        this(commitLsn, table, reason, null);
    }

    /** The commit LSN of the source transaction that could not be applied. */
    public Lsn commitLsn() {
        return commitLsn;
    }

    /** The replica table, quoted and schema-qualified, or {@code null} when no single table is at fault. */
    public String table() {
        return table;
    }
}
