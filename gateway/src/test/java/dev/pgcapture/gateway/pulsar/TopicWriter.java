package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Publishes test streams in the capture topic's format as the capture agent does: a producer
 * with batching on, fragments for messages over {@code maxMessageBytes}.
 */
public final class TopicWriter implements AutoCloseable {

    private final Producer<byte[]> producer;
    private final int maxMessageBytes;

    TopicWriter(PulsarClient client, String topic, int maxMessageBytes, int batchingMaxMessages) throws Exception {
        this.maxMessageBytes = maxMessageBytes;
        this.producer = client.newProducer(Schema.BYTES)
                .topic(topic)
                .enableBatching(true)
                .batchingMaxMessages(batchingMaxMessages)
                .batchingMaxPublishDelay(10, TimeUnit.SECONDS)
                .create();
    }

    /** A writer that splits messages over {@code maxMessageBytes}, batching up to 1,000 messages. */
    static TopicWriter open(PulsarClient client, String topic, int maxMessageBytes) throws Exception {
        return new TopicWriter(client, topic, maxMessageBytes, 1000);
    }

    /** A writer at the capture agent's default limit. */
    public static TopicWriter open(PulsarClient client, String topic) throws Exception {
        return open(client, topic, TopicFormat.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** Publishes the messages in order and waits until the broker stored all; the ids of every Pulsar message. */
    public List<MessageId> write(List<SourceMessage> messages) throws Exception {
        List<TopicFormat.Part> parts = new ArrayList<>();
        for (SourceMessage message : messages) {
            parts.addAll(TopicFormat.split(message, maxMessageBytes));
        }
        return writeParts(parts);
    }

    /** Publishes raw parts in order (a test may cut a fragment sequence short). */
    List<MessageId> writeParts(List<TopicFormat.Part> parts) throws Exception {
        List<CompletableFuture<MessageId>> sent = new ArrayList<>();
        for (TopicFormat.Part part : parts) {
            sent.add(producer.newMessage().key(part.key()).properties(part.properties()).value(part.payload()).sendAsync());
        }
        producer.flush();
        List<MessageId> ids = new ArrayList<>();
        for (CompletableFuture<MessageId> future : sent) {
            ids.add(future.get(30, TimeUnit.SECONDS));
        }
        return ids;
    }

    @Override
    public void close() throws Exception {
        producer.close();
    }
}
