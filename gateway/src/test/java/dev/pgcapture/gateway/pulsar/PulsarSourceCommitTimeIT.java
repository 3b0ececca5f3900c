package dev.pgcapture.gateway.pulsar;

import static dev.pgcapture.gateway.pulsar.Reading.capture;
import static dev.pgcapture.gateway.pulsar.Reading.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pgcapture.agent.pulsar.PulsarSink;
import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.agent.pulsar.Streams;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresTime;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A source gives each message the commit time the capture agent recorded with it, and none where it recorded none. */
@ExtendWith(PulsarExtension.class)
class PulsarSourceCommitTimeIT {

    @Test
    void next_givesEveryMessage_fragmentedOnesIncluded_theCommitTimeTheAgentRecorded(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = new ArrayList<>(Streams.transaction(0x1000, 3, 40));
        stream.set(2, Streams.change(new Lsn(0x1000), 2, 3000));
        stream.addAll(Streams.transaction(0x2000, 1, 40));
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), PulsarSinkSettings.forTopic(topic).withMaxMessageBytes(1000))) {
            sink.setup(checkpoint -> { });
            for (SourceMessage message : stream) {
                sink.apply(message);
            }
            sink.flush(Duration.ofSeconds(60));
        }
        // Streams commits the transaction at LSN x at x * 10 microseconds after PostgreSQL's epoch; the agent keeps milliseconds.
        try (PulsarSource source = capture(Reading.sources(), pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            List<SourceMessage> read = read(source, stream.size());
            assertEquals(stream, Streams.withoutData(read));
            for (SourceMessage message : read) {
                long micros = message.checkpoint().lsn().value() * 10;
                assertEquals(Instant.ofEpochMilli(PostgresTime.toEpochMillis(micros)), message.commitTime(), "commit time of " + message.checkpoint());
            }
        }
    }

    @Test
    void next_onMessagesPublishedWithoutACommitTime_givesNone(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transaction(0x3000, 2, 40);
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            writer.write(stream);
        }
        try (PulsarSource source = capture(Reading.sources(), pulsar.client(), topic, "orders", DeliveryMode.SHARED)) {
            for (SourceMessage message : read(source, stream.size())) {
                assertNull(message.commitTime(), "commit time of " + message.checkpoint());
            }
        }
    }
}
