package dev.pgcapture.consumer;

/**
 * A model class that cannot be used, found when the handlers are built: a missing
 * {@link PgTable} or {@link PgColumn}, a member of a Java type no column binds to, two models of
 * one table. The message names the class and the member.
 */
public final class ModelException extends IllegalArgumentException {

    ModelException(String message) {
        super(message);
    }
}
