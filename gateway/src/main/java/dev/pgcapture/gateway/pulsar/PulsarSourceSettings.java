package dev.pgcapture.gateway.pulsar;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PulsarSource} consumes; every value is checked at construction, with a message
 * naming the value and why it is wrong.
 *
 * @param receiverQueueSize the most Pulsar messages a source prefetches (the broker sends whole
 *     batches, so up to one batch more); a stalled consumer's source holds this many, each at
 *     most the writer's fragment size
 * @param negativeAckRedeliveryDelay in shared mode, how long a requeued message waits before
 *     the broker delivers it again
 * @param operationTimeout the longest a blocking call waits for the broker: closing the
 *     consumer, reading the topic's head, reading a fragmented message's other fragments and
 *     publishing to the dead-letter topic
 */
public record PulsarSourceSettings(int receiverQueueSize, Duration negativeAckRedeliveryDelay, Duration operationTimeout) {

    /** Prefetch by default: 100 Pulsar messages. */
    public static final int DEFAULT_RECEIVER_QUEUE_SIZE = 100;
    /** Shared-mode redelivery delay by default: 1 s. */
    public static final Duration DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY = Duration.ofSeconds(1);
    /** Broker call timeout by default: 30 s. */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(30);

    /** The largest prefetch accepted: beyond it a stalled consumer holds too much. */
    public static final int MAX_RECEIVER_QUEUE_SIZE = 10_000;

    public PulsarSourceSettings {
        Objects.requireNonNull(negativeAckRedeliveryDelay, "negativeAckRedeliveryDelay");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        if (receiverQueueSize < 1 || receiverQueueSize > MAX_RECEIVER_QUEUE_SIZE) {
            throw new IllegalArgumentException("receiverQueueSize must be between 1 and " + MAX_RECEIVER_QUEUE_SIZE + ", was " + receiverQueueSize);
        }
        if (negativeAckRedeliveryDelay.isNegative() || negativeAckRedeliveryDelay.toMillis() < 1) {
            throw new IllegalArgumentException("negativeAckRedeliveryDelay must be at least 1 ms, was " + negativeAckRedeliveryDelay);
        }
        if (operationTimeout.isNegative() || operationTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("operationTimeout must be at least 1 ms, was " + operationTimeout);
        }
    }

    /** 100 messages of prefetch, 1 s shared-mode redelivery delay, 30 s broker call timeout. */
    public static PulsarSourceSettings defaults() {
        return new PulsarSourceSettings(DEFAULT_RECEIVER_QUEUE_SIZE, DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY, DEFAULT_OPERATION_TIMEOUT);
    }

    /** These settings with another prefetch. */
    public PulsarSourceSettings withReceiverQueueSize(int size) {
        return new PulsarSourceSettings(size, negativeAckRedeliveryDelay, operationTimeout);
    }

    /** These settings with another shared-mode redelivery delay. */
    public PulsarSourceSettings withNegativeAckRedeliveryDelay(Duration delay) {
        return new PulsarSourceSettings(receiverQueueSize, delay, operationTimeout);
    }

    /** These settings with another broker call timeout. */
    public PulsarSourceSettings withOperationTimeout(Duration timeout) {
        return new PulsarSourceSettings(receiverQueueSize, negativeAckRedeliveryDelay, timeout);
    }
}
