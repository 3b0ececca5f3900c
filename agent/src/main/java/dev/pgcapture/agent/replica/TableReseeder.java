package dev.pgcapture.agent.replica;

import dev.pgcapture.core.Lsn;

/**
 * Seeds one replica table again after the source rewrote it (a rewrite changes rows without
 * change events, so the replica's copy can no longer follow the stream). Called by the applier
 * after the replica transaction that marked the table {@code needsSeed} has committed, on the
 * applier's thread, so nothing is applied meanwhile.
 */
@FunctionalInterface
public interface TableReseeder {

    /**
     * Copies {@code table} from the source again, recording in {@code pgcapture.tables} the
     * structure the copy was made with (as {@code Seeder.reseed} does): it is newer than
     * {@code table} when the source changed the table after the rewrite.
     *
     * @return the consistent point of the copy: the table takes changes committed at or after it
     */
    Lsn reseed(TableStructure table) throws Exception;
}
