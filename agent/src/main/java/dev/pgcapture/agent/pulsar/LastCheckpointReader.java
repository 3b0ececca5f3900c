package dev.pgcapture.agent.pulsar;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.TopicFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

/**
 * Finds the last checkpoint a topic holds completely, from its last Pulsar message
 * ({@link TopicFormat#lastComplete}). Read while the sink's exclusive producer is open, so that
 * nothing is written behind it.
 */
final class LastCheckpointReader {

    private final PulsarClient client;

    LastCheckpointReader(PulsarClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    Optional<Checkpoint> read(String topic, Duration timeout) throws IOException {
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES)
                .topic(topic)
                .startMessageId(MessageId.latest)
                .startMessageIdInclusive()
                .create()) {
            Message<byte[]> last = null;
            // From the latest entry on, inclusive: its last message is the topic's last one.
            while (reader.hasMessageAvailable()) {
                Message<byte[]> message = reader.readNext((int) timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (message == null) {
                    throw new PulsarClientException.TimeoutException("topic " + topic + " has a message available but none arrived within " + timeout);
                }
                last = message;
            }
            return last == null ? Optional.empty() : TopicFormat.lastComplete(last.getKey(), last.getProperties());
        }
    }
}
