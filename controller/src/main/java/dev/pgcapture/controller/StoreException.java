package dev.pgcapture.controller;

/**
 * The controller's store could not be read or written (or is held by another controller). The
 * change that was being made is not stored and not acted on; the message says which store and why.
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
