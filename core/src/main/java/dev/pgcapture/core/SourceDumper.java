package dev.pgcapture.core;

import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DescribeTypesResponse;
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

    /**
     * Opens a table dump: one snapshot of the replica, taken once it has applied the source at
     * least up to {@code minLsn}, in which every chunk of {@code table} is then read.
     *
     * @throws NoSuchTableException when the replica has no such table
     * @throws DumpRedoException when the replica did not reach {@code minLsn} in time
     */
    TableSnapshot table(Lsn minLsn, TableName table) throws Exception;

    /**
     * Describes the types with these source OIDs, and every type they are made of, from the
     * replica's catalog.
     */
    DescribeTypesResponse describeTypes(Iterable<Integer> oids) throws Exception;

    @Override
    void close();

    /**
     * A table's rows in one snapshot, read chunk by chunk. One chunk is open at a time; closing
     * the snapshot ends the replica transaction.
     */
    interface TableSnapshot extends AutoCloseable {

        /** The source LSN the replica had applied in the snapshot, at least the requested one. */
        Lsn snapshotLsn();

        /** The table's size in pages when the snapshot was taken. */
        long pages();

        /**
         * Opens the rows of pages {@code pageBegin..pageEnd} (both included, unsigned) in this
         * snapshot. A {@link Dump#next} may throw {@link DumpRedoException}: the replica needed
         * the table exclusively, and the whole table must be read again on a fresh snapshot.
         */
        Dump chunk(int pageBegin, int pageEnd) throws Exception;

        @Override
        void close();
    }

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
