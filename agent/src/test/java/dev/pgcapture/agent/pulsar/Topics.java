package dev.pgcapture.agent.pulsar;

import dev.pgcapture.core.SourceMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

/** Reads a whole topic back, to the last message it holds now. */
final class Topics {

    static final Duration WAIT = Duration.ofSeconds(30);

    private Topics() {
    }

    /** Every complete message of the topic through {@link TopicReader}, checkpoint data cleared. */
    static List<SourceMessage> readAll(PulsarClient client, String topic) throws IOException {
        try (TopicReader reader = TopicReader.fromEarliest(client, topic)) {
            List<SourceMessage> messages = new ArrayList<>();
            for (Optional<SourceMessage> next = reader.nextAvailable(WAIT); next.isPresent(); next = reader.nextAvailable(WAIT)) {
                messages.add(next.get());
            }
            return Streams.withoutData(messages);
        }
    }

    /** Every raw Pulsar message of the topic, to look at keys and properties. */
    static List<Message<byte[]>> readRaw(PulsarClient client, String topic) throws IOException {
        List<Message<byte[]>> messages = new ArrayList<>();
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest).create()) {
            while (reader.hasMessageAvailable()) {
                Message<byte[]> message = reader.readNext((int) WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (message == null) {
                    throw new AssertionError("topic " + topic + " has a message available but none arrived within " + WAIT);
                }
                messages.add(message);
            }
        }
        return messages;
    }
}
