package dev.pgcapture.consumer;

/**
 * What the consumer does with a change holding a value it cannot decode or bind to its model
 * member. Either way the {@link DecodeErrorListener} hears of it first; a change is never
 * acknowledged without that.
 */
public enum DecodeErrorPolicy {
    /**
     * Requeue the change, with the error as the reason (the default). In exact mode the change is
     * retried in place, so the consumer stalls on it until the cause is fixed (or, with
     * {@link ConsumerOptions.Builder#maxAttempts}, until it goes to the dead-letter topic).
     */
    REQUEUE,
    /** Acknowledge the change without handling it: it is skipped for good. */
    SKIP
}
