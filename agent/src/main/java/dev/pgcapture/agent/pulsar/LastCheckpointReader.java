package dev.pgcapture.agent.pulsar;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.TopicFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.admin.PulsarAdminException;
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
    private final PulsarAdmin admin;

    LastCheckpointReader(PulsarClient client, PulsarAdmin admin) {
        this.client = Objects.requireNonNull(client, "client");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    Optional<Checkpoint> read(String topic, Duration timeout) throws IOException, PulsarAdminException {
        // Not MessageId.latest with startMessageIdInclusive(): the client implements that with a
        // seek, and on Pulsar 4.0.7 that briefly disconnected the sink's own producer on the
        // same client, long enough for a rival agent to take the topic. So: the last message id
        // from the admin API, and a reader from there.
        MessageId lastId = admin.topics().getLastMessageId(topic);
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES)
                .topic(topic)
                .startMessageId(lastId)
                .startMessageIdInclusive()
                .create()) {
            Message<byte[]> last = null;
            // From the last entry on, inclusive: the last message read is the topic's last one.
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
