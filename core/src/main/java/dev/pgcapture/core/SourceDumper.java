package dev.pgcapture.core;

import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DumpInfoResponse;

/**
 * Reads dump chunks (page ranges of a table) from a logical replica.
 *
 * <p>Rows stream: a chunk never has to fit in memory.
 */
public interface SourceDumper extends AutoCloseable {

    /**
     * Opens the rows of one chunk, read in a snapshot of the replica that has applied the
     * source at least up to {@code minLsn}.
     */
    Dump dump(Lsn minLsn, DumpInfoResponse chunk) throws Exception;

    @Override
    void close();

    /** The rows of one chunk, in a single snapshot. */
    interface Dump extends AutoCloseable {

        /** The source LSN the replica had applied in the snapshot the rows come from. */
        Lsn snapshotLsn();

        /** The next row as an INSERT change, or {@code null} after the last. */
        Change next() throws Exception;

        @Override
        void close();
    }
}
