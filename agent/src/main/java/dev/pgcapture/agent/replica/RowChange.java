package dev.pgcapture.agent.replica;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.Change;
import java.util.Objects;

/**
 * A row change (INSERT, UPDATE or DELETE) of a source transaction, matched to the replica table it
 * applies to.
 *
 * @param table the replica table, as {@link ReplicaTables} holds it when the change is applied
 * @param change the change as the topic carries it
 * @param commitLsn the commit LSN of its source transaction
 */
record RowChange(ReplicaTables.Table table, Change change, Lsn commitLsn) {

    RowChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(commitLsn, "commitLsn");
    }
}
