package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.agent.pulsar.Streams;
import static dev.pgcapture.gateway.pulsar.Reading.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A source that is not read holds a bounded prefetch; what it holds is reported. */
@ExtendWith(PulsarExtension.class)
class PulsarSourceMemoryIT {

    private static final Logger log = LoggerFactory.getLogger(PulsarSourceMemoryIT.class);

    @Test
    void aStalledSource_holdsAtMostItsReceiverQueue_andBufferedBytesSaysSo(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        int valueBytes = 10_000;
        List<SourceMessage> stream = Streams.transactions(10, 20, valueBytes);
        // One message per batch: the broker's prefetch unit is a batch entry.
        try (TopicWriter writer = new TopicWriter(pulsar.client(), topic, 1_000_000, 1)) {
            writer.write(stream);
        }
        PulsarSources sources = new PulsarSources(PulsarSourceSettings.defaults().withReceiverQueueSize(10), Clock.systemUTC());
        try (PulsarSource source = sources.open(pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            source.capture(Checkpoint.ZERO);
            List<SourceMessage> first = read(source, 60);
            first.forEach(message -> source.commit(message.checkpoint()));
            // Wait until the queue holds something again; then whatever the broker sends, a stalled consumer holds at most
            // its queue of 10 messages.
            long bound = 10L * (valueBytes + 200);
            await().atMost(Reading.WAIT).until(() -> source.bufferedBytes() > valueBytes);
            await("a stalled source staying within its queue for a second").during(Duration.ofSeconds(1)).atMost(Reading.WAIT)
                    .until(() -> source.bufferedBytes() <= bound);
            long stalled = source.bufferedBytes();
            log.info("a stalled source holds {} bytes of a {}-message backlog of ~{} bytes each", stalled, stream.size() - 60, valueBytes);
            assertTrue(stalled <= bound, "a stalled source holds " + stalled + " bytes");

            List<SourceMessage> read = read(source, stream.size() - 60);
            assertEquals(stream.subList(60, stream.size()), Streams.withoutData(read));
            assertEquals(read.size(), source.unacknowledged());
            long unacked = source.bufferedBytes();
            assertTrue(unacked < read.size() * 200L, "with every message delivered and none committed the source holds " + unacked
                    + " bytes: ids, not payloads");
            read.forEach(message -> source.commit(message.checkpoint()));
            assertEquals(0, source.unacknowledged());
            assertEquals(0, source.bufferedBytes());
        }
    }

    @Test
    void exactSource_readsAndCommits_20000Messages_inOrder(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transactions(200, 98, 100);
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            writer.write(stream);
        }
        try (PulsarSource source = Reading.capture(Reading.sources(), pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            long started = System.nanoTime();
            Checkpoint last = Checkpoint.ZERO;
            for (int i = 0; i < stream.size(); i++) {
                SourceMessage message = source.next(Reading.WAIT);
                assertTrue(message != null && message.checkpoint().isAfter(last), "message " + i + " arrived in order");
                source.commit(message.checkpoint());
                last = message.checkpoint();
            }
            long nanos = System.nanoTime() - started;
            log.info("an exact source delivered and committed {} messages of ~150 bytes in {} ms: {} messages/s", stream.size(),
                    nanos / 1_000_000, stream.size() * 1_000_000_000L / nanos);
            assertEquals(stream.get(stream.size() - 1).checkpoint(), last.withData(ByteString.EMPTY));
        }
    }
}
