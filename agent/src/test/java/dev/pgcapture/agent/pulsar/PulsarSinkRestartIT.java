package dev.pgcapture.agent.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A sink started again on its topic resumes exactly after what the topic holds. */
@ExtendWith(PulsarExtension.class)
class PulsarSinkRestartIT {

    private static final Duration FLUSH = Duration.ofSeconds(60);

    @Test
    void restart_setupReturnsLastCheckpoint_andReappliedMessagesAreDropped_soTheTopicHoldsEachOnce(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        PulsarSinkSettings settings = PulsarSinkSettings.forTopic(topic);
        List<SourceMessage> stream = Streams.transactions(3, 50, 100);
        int firstRun = 2 * 52 + 10; // two transactions and the start of the third
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), settings)) {
            sink.setup(new Committed());
            for (SourceMessage message : stream.subList(0, firstRun)) {
                sink.apply(message);
            }
            sink.flush(FLUSH);
        }

        Committed committed = new Committed();
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), settings)) {
            assertEquals(Optional.of(stream.get(firstRun - 1).checkpoint()), sink.setup(committed));
            for (SourceMessage message : stream) {
                sink.apply(message);
            }
            sink.flush(FLUSH);
            assertEquals(firstRun, sink.droppedCount());
        }
        assertEquals(stream.get(stream.size() - 1).checkpoint(), committed.last());
        assertEquals(stream, Topics.readAll(pulsar.client(), topic));
    }

    @Test
    void restart_afterACutShortFragmentSequence_resumesJustBeforeIt_andReadersDiscardIt(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        int limit = 10_000;
        PulsarSinkSettings settings = PulsarSinkSettings.forTopic(topic).withMaxMessageBytes(limit);
        Lsn lsn = new Lsn(0x7000);
        List<SourceMessage> stream = new ArrayList<>(Streams.transaction(lsn.value(), 3, 100));
        stream.set(2, Streams.change(lsn, 2, 3 * limit));
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), settings)) {
            sink.setup(new Committed());
            sink.apply(stream.get(0));
            sink.apply(stream.get(1));
            sink.flush(FLUSH);
        }
        // The agent crashed after sending two of the four fragments of change 2.
        List<TopicFormat.Part> parts = TopicFormat.split(stream.get(2), limit);
        assertEquals(4, parts.size());
        try (Producer<byte[]> crashed = pulsar.client().newProducer(Schema.BYTES).topic(topic)
                .producerName(settings.producerName()).enableBatching(false).create()) {
            long sequenceId = crashed.getLastSequenceId() + 1;
            for (TopicFormat.Part part : parts.subList(0, 2)) {
                crashed.newMessage().key(part.key()).properties(part.properties()).value(part.payload()).sequenceId(sequenceId++).send();
            }
        }
        assertEquals(Optional.of(Checkpoint.of(lsn, 1)), new LastCheckpointReader(pulsar.client(), pulsar.admin()).read(topic, FLUSH));

        Committed committed = new Committed();
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), settings)) {
            assertEquals(Optional.of(Checkpoint.of(lsn, 1)), sink.setup(committed));
            for (SourceMessage message : stream) {
                sink.apply(message);
            }
            sink.flush(FLUSH);
            assertEquals(2, sink.droppedCount());
        }
        assertEquals(stream.get(stream.size() - 1).checkpoint(), committed.last());
        assertEquals(2 + 2 + 4 + 2, Topics.readRaw(pulsar.client(), topic).size());
        try (TopicReader reader = TopicReader.fromEarliest(pulsar.client(), topic)) {
            List<SourceMessage> back = new ArrayList<>();
            for (Optional<SourceMessage> next = reader.nextAvailable(FLUSH); next.isPresent(); next = reader.nextAvailable(FLUSH)) {
                back.add(next.get());
            }
            assertEquals(stream, Streams.withoutData(back));
            assertEquals(1, reader.discardedSequences());
        }
    }

    @Test
    void restart_sequenceIdsContinue_andTheBrokerDropsAnOldSequenceId(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        PulsarSinkSettings settings = PulsarSinkSettings.forTopic(topic);
        List<SourceMessage> first = Streams.transaction(0x1000, 28, 100);
        List<SourceMessage> second = Streams.transaction(0x2000, 28, 100);
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), settings)) {
            sink.setup(new Committed());
            for (SourceMessage message : first) {
                sink.apply(message);
            }
            sink.flush(FLUSH);
        }

        // The same producer name again: the broker remembers its last sequence id, and drops a
        // message sent again with an old one while it keeps one with the next.
        try (Producer<byte[]> producer = pulsar.client().newProducer(Schema.BYTES).topic(topic)
                .producerName(settings.producerName()).enableBatching(false).create()) {
            assertEquals(first.size() - 1, producer.getLastSequenceId());
            SourceMessage duplicate = Streams.change(new Lsn(0xFFFF), 1, 10);
            producer.newMessage().key(duplicate.checkpoint().toString()).value(duplicate.message().toByteArray()).sequenceId(5).send();
            SourceMessage begin = second.get(0);
            producer.newMessage().key(begin.checkpoint().toString()).value(begin.message().toByteArray()).sequenceId(first.size()).send();
        }
        List<SourceMessage> expected = new ArrayList<>(first);
        expected.add(second.get(0));
        assertEquals(expected, Topics.readAll(pulsar.client(), topic));

        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), settings)) {
            assertEquals(Optional.of(second.get(0).checkpoint()), sink.setup(new Committed()));
            for (SourceMessage message : second) {
                sink.apply(message);
            }
            sink.flush(FLUSH);
        }
        try (Producer<byte[]> producer = pulsar.client().newProducer(Schema.BYTES).topic(topic)
                .producerName(settings.producerName()).create()) {
            assertEquals(first.size() + second.size() - 1, producer.getLastSequenceId());
        }
        expected.addAll(second.subList(1, second.size()));
        assertEquals(expected, Topics.readAll(pulsar.client(), topic));
    }
}
