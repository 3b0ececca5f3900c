package dev.pgcapture.core;

import java.util.Optional;

/**
 * A {@link Source} whose reader may refuse a message and have it delivered again, as a Pulsar
 * subscription can. How and when it comes back (in place, keeping order, or later, out of
 * order) is the implementation's documented guarantee.
 */
public interface RequeueSource extends Source {

    /** Delivers the message at {@code checkpoint} again; {@code reason} says why, for operators. */
    void requeue(Checkpoint checkpoint, String reason);

    /**
     * Whether this reader receives the stream now. A hot standby (a second exact-mode consumer
     * of a URI, on a Failover subscription) does not, until the active one leaves.
     */
    boolean active();

    /**
     * The checkpoint of the last message the stream holds completely at the time of the call,
     * or empty when it holds none: a reader that has passed it has seen everything committed
     * before the call, whatever this reader or an earlier one on the same subscription read.
     */
    Optional<Checkpoint> head() throws Exception;
}
