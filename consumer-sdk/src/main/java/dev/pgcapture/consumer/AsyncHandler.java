package dev.pgcapture.consumer;

import java.util.concurrent.CompletionStage;

/**
 * Handles the changes of one model class asynchronously: the change is acknowledged when the
 * returned stage completes normally, and requeued, with the failure's message as the reason,
 * when it completes exceptionally (or when this method throws). The consumer goes on with the
 * next changes meanwhile, so changes are handled concurrently and may finish out of order; see
 * {@link ConsumerOptions} for what that means for ordering.
 *
 * @param <T> the model class, or {@link Row}
 */
@FunctionalInterface
public interface AsyncHandler<T> {

    /** Starts handling {@code change}; the stage's completion acknowledges or requeues it. */
    CompletionStage<?> handle(Change<T> change) throws Exception;
}
