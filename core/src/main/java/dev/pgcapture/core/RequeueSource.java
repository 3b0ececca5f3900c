package dev.pgcapture.core;

/**
 * A {@link Source} whose reader may refuse a message and have it delivered again, as a Pulsar
 * subscription can. How and when it comes back (in place, keeping order, or later, out of
 * order) is the implementation's documented guarantee.
 */
public interface RequeueSource extends Source {

    /** Delivers the message at {@code checkpoint} again; {@code reason} says why, for operators. */
    void requeue(Checkpoint checkpoint, String reason);
}
