package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.TopicFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

/**
 * Copies messages an exact-mode consumer gave up on to the subscription's dead-letter topic,
 * {@code <topic>-<subscription>-DLQ} (Pulsar's own naming). The payloads are not kept after
 * delivery, so the original Pulsar messages are read again from the topic and published with
 * key, payload and properties unchanged, plus {@value #REASON}, {@value #SUBSCRIPTION}, and
 * Pulsar's {@value #REAL_TOPIC} and {@value #ORIGIN_MESSAGE_ID}. Thread-safe: calls are
 * serialized.
 */
final class DeadLetters implements AutoCloseable {

    /** Why the consumer gave up: its requeue reason. */
    static final String REASON = "pgcapture-requeue-reason";
    /** The subscription that gave up. */
    static final String SUBSCRIPTION = "pgcapture-subscription";
    /** The original topic, under the name Pulsar's own dead-letter policy uses. */
    static final String REAL_TOPIC = "REAL_TOPIC";
    /** The original message id, under the name Pulsar's own dead-letter policy uses. */
    static final String ORIGIN_MESSAGE_ID = "ORIGIN_MESSAGE_ID";

    private final PulsarClient client;
    private final String topic;
    private final String subscription;
    private final String deadLetterTopic;
    private final Duration timeout;
    private Producer<byte[]> producer;
    private boolean closed;

    DeadLetters(PulsarClient client, String topic, String subscription, Duration timeout) {
        this.client = client;
        this.topic = topic;
        this.subscription = subscription;
        this.deadLetterTopic = topicFor(topic, subscription);
        this.timeout = timeout;
    }

    /** The dead-letter topic of {@code subscription} on {@code topic}. */
    static String topicFor(String topic, String subscription) {
        return topic + "-" + subscription + "-DLQ";
    }

    /**
     * Publishes the {@code parts} Pulsar messages of {@code checkpoint}, the first being
     * {@code first}, to the dead-letter topic; returns once the broker has stored all of them.
     */
    synchronized void publish(Checkpoint checkpoint, MessageId first, int parts, String reason) throws IOException {
        if (closed) {
            throw new PulsarClientException.AlreadyClosedException("the source of subscription " + subscription + " on " + topic + " is closed");
        }
        String key = TopicFormat.key(checkpoint);
        Producer<byte[]> out = producer();
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES)
                .topic(topic)
                .startMessageId(first)
                .startMessageIdInclusive()
                .receiverQueueSize(2)
                .create()) {
            int sent = 0;
            while (sent < parts) {
                Message<byte[]> message = reader.readNext((int) timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (message == null) {
                    throw new PulsarClientException.TimeoutException("reading message " + first + " (key \"" + key + "\") of topic " + topic
                            + " again to dead-letter it took longer than " + timeout);
                }
                if (sent == 0 && message.getMessageId().compareTo(first) < 0) {
                    continue;
                }
                if (!key.equals(message.getKey())) {
                    throw new IOException("reading message " + first + " of topic " + topic + " again to dead-letter it returned key \""
                            + message.getKey() + "\" where \"" + key + "\" was delivered");
                }
                Map<String, String> properties = new HashMap<>(message.getProperties());
                properties.put(REASON, reason);
                properties.put(SUBSCRIPTION, subscription);
                properties.put(REAL_TOPIC, topic);
                properties.put(ORIGIN_MESSAGE_ID, message.getMessageId().toString());
                out.newMessage().key(message.getKey()).properties(properties).value(message.getValue()).send();
                sent++;
            }
        }
    }

    private Producer<byte[]> producer() throws PulsarClientException {
        if (producer == null) {
            producer = client.newProducer(Schema.BYTES)
                    .topic(deadLetterTopic)
                    .enableBatching(false)
                    .blockIfQueueFull(true)
                    .sendTimeout((int) timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .create();
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.closeAsync();
        }
    }
}
