package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.agent.pulsar.Streams;
import static dev.pgcapture.gateway.pulsar.Reading.assertNothingMore;
import static dev.pgcapture.gateway.pulsar.Reading.capture;
import static dev.pgcapture.gateway.pulsar.Reading.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import dev.pgcapture.core.TopicFormatException;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Exact mode: one ordered consumer on a Failover subscription, a hot standby, whole messages. */
@ExtendWith(PulsarExtension.class)
class PulsarSourceExactIT {

    private final PulsarSources sources = Reading.sources();

    @Test
    void next_deliversTopicOrder_withThePulsarMessageIdAsCheckpointData(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transactions(5, 20, 50);
        List<MessageId> ids;
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            ids = writer.write(stream);
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            await().atMost(Reading.WAIT).until(source::active);
            List<SourceMessage> read = read(source, stream.size());
            assertEquals(stream, Streams.withoutData(read));
            for (int i = 0; i < read.size(); i++) {
                assertEquals(ids.get(i), MessageId.fromByteArray(read.get(i).checkpoint().data().toByteArray()));
            }
            assertNothingMore(source);
        }
    }

    @Test
    void fragmentedMessage_isDeliveredWhole_andAcknowledgedAsOne(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = new ArrayList<>(Streams.transaction(0x3000, 4, 40));
        stream.set(2, Streams.change(new Lsn(0x3000), 2, 5000));
        List<MessageId> ids;
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic, 1000)) {
            ids = writer.write(stream);
        }
        int fragments = TopicFormat.split(stream.get(2), 1000).size();
        assertTrue(fragments >= 5, "the big change is " + fragments + " fragments");
        assertEquals(stream.size() - 1 + fragments, ids.size());

        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            List<SourceMessage> read = read(source, stream.size());
            assertEquals(stream, Streams.withoutData(read));
            // The data is the id of the last fragment.
            assertEquals(ids.get(2 + fragments - 1), MessageId.fromByteArray(read.get(2).checkpoint().data().toByteArray()));
            for (SourceMessage message : read) {
                if (!message.checkpoint().equals(read.get(2).checkpoint())) {
                    assertTrue(source.acknowledge(message.checkpoint()));
                }
            }
            assertNothingMore(source);
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            SourceMessage again = read(source, 1).get(0);
            assertEquals(stream.get(2), Streams.withoutData(List.of(again)).get(0));
            assertNothingMore(source);
            source.commit(again.checkpoint());
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            assertNothingMore(source);
        }
    }

    @Test
    void fragmentsCutShortByAWriterCrash_areSkipped_andTheResentMessageIsDeliveredOnce(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        SourceMessage big = Streams.change(new Lsn(0x4000), 1, 3000);
        List<TopicFormat.Part> parts = TopicFormat.split(big, 1000);
        List<TopicFormat.Part> written = new ArrayList<>(parts.subList(0, 2));
        written.addAll(parts);
        SourceMessage after = Streams.change(new Lsn(0x4000), 2, 10);
        written.addAll(TopicFormat.split(after, 1000));
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic, 1000)) {
            writer.writeParts(written);
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            List<SourceMessage> read = read(source, 2);
            assertEquals(List.of(big, after), Streams.withoutData(read));
            assertNothingMore(source);
            read.forEach(message -> source.commit(message.checkpoint()));
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            assertNothingMore(source);
        }
    }

    @Test
    void secondConsumer_isAStandby_andTakesOverWhatIsUnacknowledged_inOrder(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transactions(4, 10, 50);
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            writer.write(stream);
        }
        PulsarSource first = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT);
        try (PulsarSource second = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            await().atMost(Reading.WAIT).until(first::active);
            List<SourceMessage> read = read(first, stream.size());
            assertEquals(stream, Streams.withoutData(read));
            assertFalse(second.active());
            assertNothingMore(second);
            int acked = 17;
            read.subList(0, acked).forEach(message -> first.commit(message.checkpoint()));

            first.close();
            await().atMost(Reading.WAIT).until(second::active);
            List<SourceMessage> taken = read(second, stream.size() - acked);
            assertEquals(stream.subList(acked, stream.size()), Streams.withoutData(taken));
            assertNothingMore(second);
        } finally {
            first.close();
        }
    }

    @Test
    void requeue_publishesToTheDeadLetterTopic_andTheMessageIsNotDeliveredAgain(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = new ArrayList<>(Streams.transaction(0x5000, 3, 40));
        stream.set(3, Streams.change(new Lsn(0x5000), 3, 2500));
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic, 1000)) {
            writer.write(stream);
        }
        List<TopicFormat.Part> bigParts = TopicFormat.split(stream.get(3), 1000);
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            List<SourceMessage> read = read(source, stream.size());
            source.requeue(read.get(1).checkpoint(), "row 1 violates a constraint");
            source.requeue(read.get(3).checkpoint(), "row 3 is too big");
            for (int i : new int[] {0, 2, 4}) {
                source.commit(read.get(i).checkpoint());
            }
            assertEquals(0, source.unacknowledged());
            assertEquals(topic + "-orders-DLQ", source.deadLetterTopic());
        }

        List<Message<byte[]>> dead = DeadLetterTopic.readAll(pulsar.client(), topic + "-orders-DLQ");
        assertEquals(1 + bigParts.size(), dead.size());
        List<TopicFormat.Part> expected = new ArrayList<>(TopicFormat.split(stream.get(1), 1000));
        expected.addAll(bigParts);
        for (int i = 0; i < dead.size(); i++) {
            Message<byte[]> message = dead.get(i);
            assertEquals(expected.get(i).key(), message.getKey());
            assertArrayEquals(expected.get(i).payload(), message.getValue());
            Map<String, String> properties = message.getProperties();
            expected.get(i).properties().forEach((name, value) -> assertEquals(value, properties.get(name), name));
            assertEquals(i == 0 ? "row 1 violates a constraint" : "row 3 is too big", properties.get(DeadLetters.REASON));
            assertEquals("orders", properties.get(DeadLetters.SUBSCRIPTION));
            assertEquals(topic, properties.get(DeadLetters.REAL_TOPIC));
        }
        assertEquals(List.of(stream.get(1), stream.get(3)), DeadLetterTopic.assemble(dead));

        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            assertNothingMore(source);
        }
    }

    @Test
    void capture_afterACheckpoint_acknowledgesWhatIsAtOrBeforeIt_withoutDeliveringIt(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transactions(3, 4, 20);
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            writer.write(stream);
        }
        Checkpoint after = stream.get(7).checkpoint();
        try (PulsarSource source = sources.open(pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            source.capture(after);
            List<SourceMessage> read = read(source, stream.size() - 8);
            assertEquals(stream.subList(8, stream.size()), Streams.withoutData(read));
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            assertEquals(stream.subList(8, stream.size()), Streams.withoutData(read(source, stream.size() - 8)));
        }
    }

    @Test
    void next_onAMessageNotInTheFormat_failsNamingItsMessageId_andLeavesItUnacknowledged(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        SourceMessage good = Streams.change(new Lsn(0x6000), 1, 10);
        List<MessageId> ids;
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            ids = writer.writeParts(List.of(TopicFormat.split(good, 1000).get(0), new TopicFormat.Part("0/6000|2", Map.of(), new byte[] {(byte) 0xff, 1})));
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            SourceMessage first = read(source, 1).get(0);
            assertEquals(good, Streams.withoutData(List.of(first)).get(0));
            source.commit(first.checkpoint());
            TopicFormatException e = assertThrows(TopicFormatException.class, () -> source.next(Reading.WAIT));
            assertTrue(e.getMessage().contains("Pulsar message " + ids.get(1)), e.getMessage());
            assertTrue(e.getMessage().contains("0/6000|2"), e.getMessage());
            assertTrue(e.getMessage().contains("is not a pgcapture Message"), e.getMessage());
            // The source stays failed.
            assertThrows(TopicFormatException.class, () -> source.next(Duration.ZERO));
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            TopicFormatException e = assertThrows(TopicFormatException.class, () -> source.next(Reading.WAIT));
            assertTrue(e.getMessage().contains("Pulsar message " + ids.get(1)), e.getMessage());
        }
    }
}
