package dev.pgcapture.agent.replica;

import java.sql.Connection;

/**
 * Seeds one replica table again after the source rewrote it (a rewrite changes rows without
 * change events, so the replica's copy can no longer follow the stream). Called by the applier
 * after the replica transaction that marked the table {@code needsSeed} has committed, on the
 * applier's thread, so nothing is applied meanwhile.
 */
@FunctionalInterface
public interface TableReseeder {

    /**
     * Copies {@code table} from the source again, as the source has it now, into the replica in
     * {@code replica}'s open transaction (the applier commits it), and records it in
     * {@code tables}: its current structure and, as {@code applyFrom}, the consistent point of
     * the copy, so the table takes the changes committed at or after it.
     *
     * @return the table as recorded
     */
    ReplicaTables.Table reseed(Connection replica, ReplicaTables tables, TableStructure table) throws Exception;
}
