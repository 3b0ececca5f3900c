package dev.pgcapture.agent.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresTime;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pulsar.client.api.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every Pulsar message the sink publishes for a transaction carries the transaction's commit time as its event time. */
@ExtendWith(PulsarExtension.class)
class PulsarSinkEventTimeIT {

    private static final Duration FLUSH = Duration.ofSeconds(60);

    @Test
    void everyPulsarMessageOfATransaction_fragmentsIncluded_carriesItsCommitTime_asEventTime(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        int limit = 1000;
        List<SourceMessage> stream = new ArrayList<>(Streams.transaction(0x1000, 3, 50));
        stream.set(2, Streams.change(new Lsn(0x1000), 2, 3 * limit));
        stream.addAll(Streams.transaction(0x2000, 2, 50));
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), PulsarSinkSettings.forTopic(topic).withMaxMessageBytes(limit))) {
            sink.setup(new Committed());
            for (SourceMessage message : stream) {
                sink.apply(message);
            }
            sink.flush(FLUSH);
        }

        List<Message<byte[]>> raw = Topics.readRaw(pulsar.client(), topic);
        long fragments = raw.stream().filter(m -> m.getProperty(TopicFormat.FRAGMENT_PROPERTY) != null).count();
        assertTrue(fragments >= 4, "the big change went as " + fragments + " fragments");
        assertEquals(stream.size() - 1 + fragments, raw.size());
        for (Message<byte[]> message : raw) {
            long commitLsn = TopicFormat.parseKey(message.getKey()).lsn().value();
            // Streams commits the transaction at LSN x at x * 10 microseconds after PostgreSQL's epoch.
            assertEquals(PostgresTime.toEpochMillis(commitLsn * 10), message.getEventTime(), "event time of " + message.getKey());
        }
    }

    @Test
    void aTransactionResumedAfterARestart_stillStampsWhatFollows_withTheDroppedBeginsTime(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        PulsarSinkSettings settings = PulsarSinkSettings.forTopic(topic);
        List<SourceMessage> stream = Streams.transaction(0x3000, 4, 50);
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), settings)) {
            sink.setup(new Committed());
            sink.apply(stream.get(0));
            sink.apply(stream.get(1));
            sink.flush(FLUSH);
        }
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), settings)) {
            sink.setup(new Committed());
            for (SourceMessage message : stream) {
                sink.apply(message);
            }
            sink.flush(FLUSH);
            assertEquals(2, sink.droppedCount(), "the Begin and the first change were in the topic already");
        }

        List<Message<byte[]>> raw = Topics.readRaw(pulsar.client(), topic);
        assertEquals(stream.size(), raw.size());
        for (Message<byte[]> message : raw) {
            assertEquals(PostgresTime.toEpochMillis(0x3000 * 10), message.getEventTime(), "event time of " + message.getKey());
        }
    }
}
