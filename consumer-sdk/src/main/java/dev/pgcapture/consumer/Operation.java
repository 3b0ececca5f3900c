package dev.pgcapture.consumer;

/** What a {@link Change} is. */
public enum Operation {
    /** A row inserted at the source: {@link Change#newRow()} holds it. */
    INSERT,
    /**
     * A row updated at the source: {@link Change#newRow()} holds the new version (with
     * unchanged TOAST values left out, see {@link PgValue}); {@link Change#oldRow()} the old key,
     * or the whole old row under {@code REPLICA IDENTITY FULL}, or {@code null} when the key did
     * not change.
     */
    UPDATE,
    /** A row deleted at the source: {@link Change#oldRow()} holds its key (or whole row under {@code REPLICA IDENTITY FULL}). */
    DELETE,
    /**
     * Tables truncated at the source, by one statement: {@link Change#truncate()} lists them
     * with the statement's options. No row.
     */
    TRUNCATE,
    /**
     * A row read by a dump the consumer asked for, not a change at the source: {@link Change#newRow()}
     * holds the row as of {@link Change#snapshotLsn()}. Apply it as an upsert.
     */
    DUMP
}
