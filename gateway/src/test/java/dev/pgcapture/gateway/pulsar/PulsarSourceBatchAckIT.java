package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.agent.pulsar.Streams;
import static dev.pgcapture.gateway.pulsar.Reading.assertNothingMore;
import static dev.pgcapture.gateway.pulsar.Reading.capture;
import static dev.pgcapture.gateway.pulsar.Reading.read;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.util.List;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Acknowledgements are per message of a producer batch: the broker keeps them
 * ({@code acknowledgmentAtBatchIndexLevelEnabled}), so neither a requeue nor a restart brings
 * back a message of a batch that was acknowledged.
 */
@ExtendWith(PulsarExtension.class)
class PulsarSourceBatchAckIT {

    @Test
    void batchOfTen_nineAcknowledgedOneRequeued_onlyTheRequeuedOneComesBack_andNothingAcknowledgedAfterARestart(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        PulsarSources sources = Reading.sources();
        List<SourceMessage> stream = Streams.transaction(0x7000, 8, 20);
        List<MessageId> ids;
        try (TopicWriter writer = new TopicWriter(pulsar.client(), topic, 1000, 10)) {
            ids = writer.write(stream);
        }
        assertEquals(10, ids.size());
        for (int i = 0; i < ids.size(); i++) {
            MessageIdAdv adv = (MessageIdAdv) ids.get(i);
            assertEquals(((MessageIdAdv) ids.get(0)).getEntryId(), adv.getEntryId(), "all ten messages are one batch entry");
            assertEquals(i, adv.getBatchIndex());
        }

        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.SHARED)) {
            List<SourceMessage> read = read(source, 10);
            assertEquals(stream, Streams.withoutData(read));
            for (int i = 0; i < 10; i++) {
                if (i != 4) {
                    source.commit(read.get(i).checkpoint());
                }
            }
            source.requeue(read.get(4).checkpoint(), "try again");
            SourceMessage again = read(source, 1).get(0);
            assertEquals(stream.get(4), Streams.withoutData(List.of(again)).get(0));
            assertNothingMore(source);
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.SHARED)) {
            SourceMessage unacknowledged = read(source, 1).get(0);
            assertEquals(stream.get(4), Streams.withoutData(List.of(unacknowledged)).get(0));
            assertNothingMore(source);
            source.commit(unacknowledged.checkpoint());
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.SHARED)) {
            assertNothingMore(source);
        }
    }
}
