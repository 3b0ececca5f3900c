package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.agent.pulsar.Streams;
import static dev.pgcapture.gateway.pulsar.Reading.assertNothingMore;
import static dev.pgcapture.gateway.pulsar.Reading.capture;
import static dev.pgcapture.gateway.pulsar.Reading.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Shared mode: consumers share a Shared subscription; a requeue is a redelivery later. */
@ExtendWith(PulsarExtension.class)
class PulsarSourceSharedIT {

    private final PulsarSources sources = Reading.sources();

    @Test
    void twoSources_shareTheStream_andEveryMessageArrivesWhole_fragmentedOnesIncluded(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            List<SourceMessage> transaction = new ArrayList<>(Streams.transaction(0x1000L * i, 10, 30));
            // Every other transaction has a change of 6 fragments, which the broker may spread
            // over both consumers.
            if (i % 2 == 0) {
                transaction.set(5, Streams.change(new Lsn(0x1000L * i), 5, 5000));
            }
            stream.addAll(transaction);
        }
        try (PulsarSource one = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.SHARED);
                PulsarSource two = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.SHARED)) {
            assertTrue(one.active() && two.active());
            // Batches of 5: the broker dispatches whole batch entries, and spreads them.
            try (TopicWriter writer = new TopicWriter(pulsar.client(), topic, 1000, 5)) {
                writer.write(stream);
            }
            Map<Checkpoint, SourceMessage> received = new HashMap<>();
            int[] counts = new int[2];
            long deadline = System.nanoTime() + Reading.WAIT.toNanos();
            while (received.size() < stream.size() && System.nanoTime() < deadline) {
                PulsarSource[] both = {one, two};
                for (int i = 0; i < 2; i++) {
                    SourceMessage message = both[i].next(Duration.ofMillis(50));
                    if (message != null) {
                        counts[i]++;
                        both[i].commit(message.checkpoint());
                        received.put(message.checkpoint().withData(ByteString.EMPTY),
                                Streams.withoutData(List.of(message)).get(0));
                    }
                }
            }
            assertEquals(stream.size(), received.size(), "messages received by either source");
            for (SourceMessage message : stream) {
                assertEquals(message, received.get(message.checkpoint()));
            }
            assertTrue(counts[0] > 0 && counts[1] > 0, "both sources received messages: " + counts[0] + " and " + counts[1]);
        }
    }

    @Test
    void requeue_isANegativeAcknowledgement_andTheMessageIsDeliveredAgainWhole(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = new ArrayList<>(Streams.transaction(0x2000, 3, 20));
        // The requeued change is 4 fragments.
        stream.set(2, Streams.change(new Lsn(0x2000), 2, 3500));
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic, 1000)) {
            writer.write(stream);
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.SHARED)) {
            List<SourceMessage> read = read(source, stream.size());
            assertEquals(stream, Streams.withoutData(read));
            for (SourceMessage message : read) {
                if (message != read.get(2)) {
                    source.commit(message.checkpoint());
                }
            }
            source.requeue(read.get(2).checkpoint(), "handler failed");
            SourceMessage again = read(source, 1).get(0);
            assertEquals(stream.get(2), Streams.withoutData(List.of(again)).get(0));
            assertNothingMore(source);
            source.commit(again.checkpoint());
        }
        try (PulsarSource source = capture(sources, pulsar.client(), topic, "orders", DeliveryMode.SHARED)) {
            assertNothingMore(source);
        }
    }
}
