package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.agent.pulsar.Streams;
import static dev.pgcapture.gateway.pulsar.Reading.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The head of the stream: the last checkpoint the topic holds completely, whatever was read. */
@ExtendWith(PulsarExtension.class)
class PulsarSourceHeadIT {

    @Test
    void head_ofAnEmptyTopic_isEmpty_andThenTheLastCheckpoint_whateverThisSourceRead(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        PulsarSources sources = Reading.sources();
        try (PulsarSource source = sources.open(pulsar.client(), topic, "orders", DeliveryMode.EXACT);
                TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            source.capture(Checkpoint.ZERO);
            assertEquals(Optional.empty(), source.head());

            List<SourceMessage> stream = Streams.transactions(3, 5, 20);
            writer.write(stream);
            assertEquals(Optional.of(stream.get(stream.size() - 1).checkpoint()), source.head());
            read(source, 4);
            assertEquals(Optional.of(stream.get(stream.size() - 1).checkpoint()), source.head());
        }
    }

    @Test
    void head_ignoresATrailingFragmentSequenceCutShort(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        PulsarSources sources = Reading.sources();
        List<SourceMessage> stream = Streams.transaction(0x9000, 2, 20);
        SourceMessage big = Streams.change(new Lsn(0xA000), 1, 4000);
        List<TopicFormat.Part> fragments = TopicFormat.split(big, 1000);
        assertTrue(fragments.size() > 2);
        try (PulsarSource source = sources.open(pulsar.client(), topic, "orders", DeliveryMode.SHARED);
                TopicWriter writer = TopicWriter.open(pulsar.client(), topic, 1000)) {
            writer.write(stream);
            writer.writeParts(fragments.subList(0, 2));
            // Everything before the cut-short message: (0/A000, seq 0).
            assertEquals(Optional.of(Checkpoint.of(new Lsn(0xA000), 0)), source.head());
            writer.writeParts(fragments);
            assertEquals(Optional.of(big.checkpoint()), source.head());
        }
    }
}
