package dev.pgcapture.agent.pulsar;

import dev.pgcapture.core.TopicFormat;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What {@link PulsarSink} publishes to and how; every value is checked at construction, with a
 * message naming the value and why it is wrong.
 *
 * @param topic the fully qualified topic, {@code persistent://tenant/namespace/name}
 * @param producerName the fixed producer name deduplication keys on; the same on every restart
 * @param maxMessageBytes the largest payload of one Pulsar message; a larger serialized
 *     {@code Message} is split into fragments ({@link TopicFormat})
 * @param retentionTime how long the topic keeps acknowledged messages, whole minutes
 * @param retentionSizeMb how much the topic keeps, in MB; empty for no size limit
 * @param maxPendingMessages the producer's queue of unacknowledged messages; a full queue
 *     blocks {@link PulsarSink#apply}
 * @param batchingMaxPublishDelay how long the producer may hold a message to batch it
 * @param setupTimeout how long {@link PulsarSink#setup} waits for the broker to apply the
 *     topic's policies and to read the topic's last message
 */
public record PulsarSinkSettings(
        String topic,
        String producerName,
        int maxMessageBytes,
        Duration retentionTime,
        OptionalLong retentionSizeMb,
        int maxPendingMessages,
        Duration batchingMaxPublishDelay,
        Duration setupTimeout) {

    /** Retention time by default: 7 days, enough to re-seed a replica after a long weekend. */
    public static final Duration DEFAULT_RETENTION_TIME = Duration.ofDays(7);
    /** Queue size by default. */
    public static final int DEFAULT_MAX_PENDING_MESSAGES = 1000;
    /** Batching delay by default: Pulsar's own default. */
    public static final Duration DEFAULT_BATCHING_DELAY = Duration.ofMillis(1);
    /** Setup timeout by default. */
    public static final Duration DEFAULT_SETUP_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern TOPIC = Pattern.compile("persistent://[^/\\s]+/[^/\\s]+/[^/\\s]+");

    public PulsarSinkSettings {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(producerName, "producerName");
        Objects.requireNonNull(retentionTime, "retentionTime");
        Objects.requireNonNull(retentionSizeMb, "retentionSizeMb");
        Objects.requireNonNull(batchingMaxPublishDelay, "batchingMaxPublishDelay");
        Objects.requireNonNull(setupTimeout, "setupTimeout");
        if (!TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("topic \"" + topic + "\" must be persistent://tenant/namespace/name");
        }
        if (producerName.isBlank()) {
            throw new IllegalArgumentException("producerName must not be blank");
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1, was " + maxMessageBytes);
        }
        if (retentionTime.toMinutes() < 1 || !retentionTime.equals(Duration.ofMinutes(retentionTime.toMinutes()))
                || retentionTime.toMinutes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("retentionTime must be a positive whole number of minutes, was " + retentionTime);
        }
        if (retentionSizeMb.isPresent() && retentionSizeMb.getAsLong() < 1) {
            throw new IllegalArgumentException("retentionSizeMb must be at least 1 (or empty for no limit), was " + retentionSizeMb.getAsLong());
        }
        if (maxPendingMessages < 1) {
            throw new IllegalArgumentException("maxPendingMessages must be at least 1, was " + maxPendingMessages);
        }
        if (batchingMaxPublishDelay.isNegative() || batchingMaxPublishDelay.isZero()) {
            throw new IllegalArgumentException("batchingMaxPublishDelay must be positive, was " + batchingMaxPublishDelay);
        }
        if (setupTimeout.isNegative() || setupTimeout.isZero()) {
            throw new IllegalArgumentException("setupTimeout must be positive, was " + setupTimeout);
        }
    }

    /**
     * The defaults for {@code topic}: producer name {@code pgcapture-<topic's local name>},
     * {@link TopicFormat#DEFAULT_MAX_MESSAGE_BYTES}, 7 days of retention without a size limit,
     * a queue of 1000 messages, 1 ms batching delay, 30 s setup timeout.
     */
    public static PulsarSinkSettings forTopic(String topic) {
        Objects.requireNonNull(topic, "topic");
        String name = topic.substring(topic.lastIndexOf('/') + 1);
        return new PulsarSinkSettings(topic, "pgcapture-" + name, TopicFormat.DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_RETENTION_TIME,
                OptionalLong.empty(), DEFAULT_MAX_PENDING_MESSAGES, DEFAULT_BATCHING_DELAY, DEFAULT_SETUP_TIMEOUT);
    }

    /** These settings with another producer name. */
    public PulsarSinkSettings withProducerName(String name) {
        return new PulsarSinkSettings(topic, name, maxMessageBytes, retentionTime, retentionSizeMb, maxPendingMessages,
                batchingMaxPublishDelay, setupTimeout);
    }

    /** These settings with another largest payload. */
    public PulsarSinkSettings withMaxMessageBytes(int bytes) {
        return new PulsarSinkSettings(topic, producerName, bytes, retentionTime, retentionSizeMb, maxPendingMessages,
                batchingMaxPublishDelay, setupTimeout);
    }

    /** These settings with another retention. */
    public PulsarSinkSettings withRetention(Duration time, OptionalLong sizeMb) {
        return new PulsarSinkSettings(topic, producerName, maxMessageBytes, time, sizeMb, maxPendingMessages,
                batchingMaxPublishDelay, setupTimeout);
    }
}
