package dev.pgcapture.consumer;

/**
 * Handles the changes of one model class, one at a time. Returning acknowledges the change;
 * throwing requeues it, with the exception's message as the reason, to be delivered again.
 *
 * @param <T> the model class, or {@link Row}
 */
@FunctionalInterface
public interface Handler<T> {

    /** Handles {@code change}; throws to requeue it. */
    void handle(Change<T> change) throws Exception;
}
