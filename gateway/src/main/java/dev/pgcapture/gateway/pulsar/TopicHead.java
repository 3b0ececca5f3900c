package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.TopicFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TopicMessageId;

/**
 * Finds the last checkpoint a topic holds completely: the broker names the topic's last message
 * id, a Reader reads from there to the end, and the last message read decides
 * ({@link TopicFormat#lastComplete}: a trailing fragment sequence cut short does not count).
 */
final class TopicHead {

    private TopicHead() {
    }

    static Optional<Checkpoint> read(PulsarClient client, Consumer<?> consumer, String topic, Duration timeout) throws IOException {
        List<TopicMessageId> lastIds = consumer.getLastMessageIds();
        if (lastIds.size() != 1) {
            throw new IOException("topic " + topic + " reports " + lastIds.size() + " last message ids; a capture topic is not partitioned");
        }
        MessageId lastId = lastIds.get(0);
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES)
                .topic(topic)
                .startMessageId(lastId)
                .startMessageIdInclusive()
                .receiverQueueSize(2)
                .create()) {
            Message<byte[]> last = null;
            while (reader.hasMessageAvailable()) {
                Message<byte[]> message = reader.readNext((int) timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (message == null) {
                    throw new PulsarClientException.TimeoutException("topic " + topic + " has a message available after " + lastId
                            + " but none arrived within " + timeout);
                }
                last = message;
            }
            return last == null ? Optional.empty() : TopicFormat.lastComplete(last.getKey(), last.getProperties());
        }
    }
}
