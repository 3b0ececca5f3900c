package dev.pgcapture.core;

/**
 * A table dump cannot go on in its snapshot and must start again, whole, on a fresh one: the
 * replica needed the table exclusively (a TRUNCATE, a DDL), or did not reach the requested LSN
 * in time.
 */
public final class DumpRedoException extends Exception {

    public DumpRedoException(String message) {
        super(message);
    }

    public DumpRedoException(String message, Throwable cause) {
        super(message, cause);
    }
}
