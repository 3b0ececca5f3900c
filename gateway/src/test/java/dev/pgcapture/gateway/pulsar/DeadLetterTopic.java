package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

/** Reads a topic back whole, to look at a dead-letter topic. */
final class DeadLetterTopic {

    private DeadLetterTopic() {
    }

    static List<Message<byte[]>> readAll(PulsarClient client, String topic) throws Exception {
        List<Message<byte[]>> messages = new ArrayList<>();
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest).create()) {
            while (reader.hasMessageAvailable()) {
                Message<byte[]> message = reader.readNext((int) Reading.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (message == null) {
                    throw new AssertionError("topic " + topic + " has a message available but none arrived within " + Reading.WAIT);
                }
                messages.add(message);
            }
        }
        return messages;
    }

    static List<SourceMessage> assemble(List<Message<byte[]>> messages) {
        TopicFormat.Assembler assembler = new TopicFormat.Assembler();
        List<SourceMessage> whole = new ArrayList<>();
        for (Message<byte[]> message : messages) {
            assembler.accept(message.getKey(), message.getProperties(), message.getValue()).ifPresent(whole::add);
        }
        return whole;
    }
}
