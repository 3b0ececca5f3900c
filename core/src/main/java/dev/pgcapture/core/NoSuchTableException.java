package dev.pgcapture.core;

/** A dump asked for a table that the replica does not have. */
public final class NoSuchTableException extends Exception {

    private final TableName table;

    public NoSuchTableException(TableName table) {
        super("no table " + table + " on the replica");
        this.table = table;
    }

    /** The table that is missing. */
    public TableName table() {
        return table;
    }
}
