package dev.pgcapture.agent.replica;

import dev.pgcapture.core.TableName;
import java.util.Collection;

/**
 * How the applier keeps dumps from blocking replication. Before it takes a lock stronger than
 * {@code ROW EXCLUSIVE} on replica tables (TRUNCATE, DDL), the applier calls
 * {@link #beforeExclusive}: the dump service cancels the dumps reading those tables (they fail
 * with a status that tells the caller to redo the table) and keeps new ones from locking them
 * until {@link #released}. Implemented by the {@code Agent} dump service of the same process.
 */
public interface DumpInterlock {

    /** Does nothing: no dumps run against this replica from this process. */
    DumpInterlock NONE = new DumpInterlock() {
        @Override
        public void beforeExclusive(Collection<TableName> tables) {
        }

        @Override
        public void released() {
        }
    };

    /**
     * Cancels the dumps reading any of {@code tables} (replica names) and makes new dumps of them
     * wait; returns once the cancelled dumps have let go of their locks.
     */
    void beforeExclusive(Collection<TableName> tables) throws InterruptedException;

    /** The replica transaction that needed the locks has ended; dumps may start again. */
    void released();
}
