package org.apache.pulsar.client.impl;

import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;

/**
 * Puts a real consumer's count of prefetched bytes where the Pulsar client's own race leaves it:
 * the client queues a message and counts it in just after, so a receive in between counts it out
 * first, and the count is below zero until the client's I/O thread catches up. Closing a consumer
 * in that moment is what this reproduces, without waiting for the race. Lives in the client's
 * package because the count is the client's internal state.
 */
public final class PrefetchCount {

    private PrefetchCount() {
    }

    /** Counts {@code received} out of {@code consumer}'s prefetched bytes once more, as the race does; returns the count. */
    public static long countOutAgain(Consumer<?> consumer, Message<?> received) {
        ConsumerBase<?> base = (ConsumerBase<?>) consumer;
        base.decreaseIncomingMessageSize(received);
        return base.getIncomingMessageSize();
    }
}
