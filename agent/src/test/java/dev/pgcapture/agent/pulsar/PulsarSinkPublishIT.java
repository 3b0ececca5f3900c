package dev.pgcapture.agent.pulsar;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a sink publishes and what it reports as committed. */
@ExtendWith(PulsarExtension.class)
class PulsarSinkPublishIT {

    private static final Logger log = LoggerFactory.getLogger(PulsarSinkPublishIT.class);

    @Test
    void apply_publishesEveryMessageInOrder_withCheckpointKeys_andReportsCommittedInOrder(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transactions(20, 1000, 100);
        Committed committed = new Committed();
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), PulsarSinkSettings.forTopic(topic))) {
            assertEquals(Optional.empty(), sink.setup(committed));
            long started = System.nanoTime();
            for (SourceMessage message : stream) {
                sink.apply(message);
            }
            sink.flush(Duration.ofSeconds(60));
            long nanos = System.nanoTime() - started;
            log.info("Published {} messages of ~150 bytes through the sink in {} ms: {} messages/s", stream.size(), nanos / 1_000_000,
                    stream.size() * 1_000_000_000L / nanos);
        }

        List<Checkpoint> reported = committed.reported();
        assertEquals(stream.get(stream.size() - 1).checkpoint(), committed.last());
        for (int i = 1; i < reported.size(); i++) {
            assertTrue(reported.get(i).isAfter(reported.get(i - 1)), "reported " + reported.get(i) + " after " + reported.get(i - 1));
        }
        List<Message<byte[]>> raw = Topics.readRaw(pulsar.client(), topic);
        assertEquals(stream.size(), raw.size());
        for (int i = 0; i < raw.size(); i++) {
            assertEquals(stream.get(i).checkpoint().toString(), raw.get(i).getKey());
            assertEquals(Map.of(), raw.get(i).getProperties());
        }
        assertEquals(stream, Topics.readAll(pulsar.client(), topic));
    }

    @Test
    void committed_reportsOnlyWhatTheTopicHolds(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transactions(5, 200, 100);
        // Once a checkpoint is reported, the topic holds it and everything before it.
        Committed committed = new Committed();
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), PulsarSinkSettings.forTopic(topic))) {
            sink.setup(committed);
            for (SourceMessage message : stream.subList(0, 101)) {
                sink.apply(message);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.get(100).checkpoint().equals(committed.last()));
            List<SourceMessage> held = Topics.readAll(pulsar.client(), topic);
            assertEquals(stream.subList(0, 101), held);
            for (SourceMessage message : stream.subList(101, stream.size())) {
                sink.apply(message);
            }
            sink.flush(Duration.ofSeconds(60));
        }
        assertEquals(stream.get(stream.size() - 1).checkpoint(), committed.last());
    }

    @Test
    void apply_afterTheTopicIsTerminated_failsTheSink_andReportsNothingMore(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transactions(2, 10, 10);
        Committed committed = new Committed();
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), PulsarSinkSettings.forTopic(topic))) {
            sink.setup(committed);
            for (SourceMessage message : stream.subList(0, 12)) {
                sink.apply(message);
            }
            sink.flush(Duration.ofSeconds(30));
            Checkpoint beforeTermination = committed.last();
            assertEquals(stream.get(11).checkpoint(), beforeTermination);
            pulsar.admin().topics().terminateTopic(topic);

            sink.apply(stream.get(12));
            SinkFailedException failure = assertThrows(SinkFailedException.class, () -> sink.flush(Duration.ofSeconds(30)));
            assertTrue(failure.getMessage().startsWith("publishing to topic " + topic + " failed: "), failure.getMessage());
            assertInstanceOf(PulsarClientException.TopicTerminatedException.class, failure.getCause());
            assertThrows(SinkFailedException.class, () -> sink.apply(stream.get(13)));
            assertEquals(beforeTermination, committed.last());
            assertFalse(committed.reported().contains(stream.get(12).checkpoint()));
        }
    }
}
