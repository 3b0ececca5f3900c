package dev.pgcapture.gateway.pulsar;

import static dev.pgcapture.gateway.pulsar.Reading.capture;
import static dev.pgcapture.gateway.pulsar.Reading.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.pulsar.Streams;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.client.impl.PrefetchCount;
import org.apache.pulsar.common.policies.data.ConsumerStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Closing a source never leaves its consumer subscribed, so the subscription's next exact-mode
 * consumer takes the stream over at once instead of waiting behind it as a Failover standby.
 * Both tests close a consumer at the moment the Pulsar client's count of prefetched bytes is
 * below zero, which its own race produces now and then; each uses a client of its own, with the
 * client's default memory limit.
 */
@ExtendWith(PulsarExtension.class)
class PulsarSourceCloseIT {

    /** Well under the 30 s a test waits for a message: a consumer left behind would hold the stream for good. */
    private static final Duration TAKE_OVER = Duration.ofSeconds(10);

    @Test
    void close_whileTheClientsPrefetchCountIsBelowZero_closesTheConsumer_andLeavesTheConnectionAlone(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transactions(4, 10, 50);
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            writer.write(stream);
        }
        PulsarSources sources = Reading.sources();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(pulsar.serviceUrl()).build();
                PulsarSource bystander = capture(sources, client, topic, "bystander", DeliveryMode.EXACT)) {
            read(bystander, stream.size());
            String bystanderSince = connectedSince(pulsar, topic, "bystander");

            PulsarSource first = capture(sources, client, topic, "orders", DeliveryMode.EXACT);
            // Everything received and nothing acknowledged: the queue is empty, the next consumer receives it all again.
            read(first, stream.size());
            long count = PrefetchCount.countOutAgain(first.consumer(), firstPulsarMessage(pulsar, topic));
            assertTrue(count < 0, "the consumer's count of prefetched bytes is " + count);
            first.close();

            await("the broker dropping the closed consumer").atMost(TAKE_OVER).until(() -> consumers(pulsar, topic, "orders").isEmpty());
            await("the other source keeping its connection").during(Duration.ofSeconds(1)).atMost(TAKE_OVER)
                    .until(() -> connectedSince(pulsar, topic, "bystander").equals(bystanderSince));
            try (PulsarSource next = capture(sources, client, topic, "orders", DeliveryMode.EXACT)) {
                await("the next consumer taking the stream over").atMost(TAKE_OVER).until(next::active);
                assertEquals(stream, Streams.withoutData(read(next, stream.size())));
            }
        }
    }

    @Test
    void close_thatFailsInsideTheClient_closesTheConnection_soTheBrokerDropsTheConsumer_andOtherSourcesReconnect(TestPulsar pulsar)
            throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transactions(4, 10, 50);
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            writer.write(stream);
        }
        PulsarSources sources = Reading.sources();
        PulsarSourceSettings settings = sources.settings();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(pulsar.serviceUrl()).build();
                PulsarSource bystander = capture(sources, client, topic, "bystander", DeliveryMode.EXACT)) {
            read(bystander, stream.size()).forEach(message -> bystander.commit(message.checkpoint()));
            // Acknowledged at the broker, so that after reconnecting the other source receives only what follows.
            await().atMost(TAKE_OVER).until(() -> pulsar.admin().topics().getStats(topic).getSubscriptions().get("bystander").getMsgBacklog() == 0);
            String bystanderSince = connectedSince(pulsar, topic, "bystander");

            // With auto-scaling, the client releases the count from its memory limit on close, and a count below zero
            // makes the close throw before the broker hears of it.
            Consumer<byte[]> consumer = client.newConsumer(Schema.BYTES)
                    .topic(topic)
                    .subscriptionName("orders")
                    .subscriptionType(SubscriptionType.Failover)
                    .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                    .receiverQueueSize(settings.receiverQueueSize())
                    .autoScaledReceiverQueueSizeEnabled(true)
                    .enableBatchIndexAcknowledgment(true)
                    .subscribe();
            PulsarSource first = new PulsarSource(client, topic, "orders", DeliveryMode.EXACT, settings, consumer, new AtomicBoolean(true), () -> {
            });
            first.capture(Checkpoint.ZERO);
            // Everything received and nothing acknowledged: the queue is empty, the next consumer receives it all again.
            read(first, stream.size());
            long count = PrefetchCount.countOutAgain(consumer, firstPulsarMessage(pulsar, topic));
            assertTrue(count < 0, "the consumer's count of prefetched bytes is " + count);
            first.close();

            await("the broker dropping the consumer whose close failed").atMost(TAKE_OVER)
                    .until(() -> consumers(pulsar, topic, "orders").isEmpty());
            await("the other source reconnecting").atMost(TAKE_OVER).until(() -> {
                List<? extends ConsumerStats> bystanders = consumers(pulsar, topic, "bystander");
                return bystanders.size() == 1 && !bystanders.get(0).getConnectedSince().equals(bystanderSince);
            });
            List<SourceMessage> more = Streams.transaction(0x9000, 3, 20);
            try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
                writer.write(more);
            }
            assertEquals(more, Streams.withoutData(read(bystander, more.size())), "the other source receives what follows");
            try (PulsarSource next = capture(sources, client, topic, "orders", DeliveryMode.EXACT)) {
                await("the next consumer taking the stream over").atMost(TAKE_OVER).until(next::active);
                assertEquals(stream, Streams.withoutData(read(next, stream.size())));
            }
        }
    }

    /** A real message of the topic, to count out of a consumer once more. */
    private static Message<byte[]> firstPulsarMessage(TestPulsar pulsar, String topic) throws Exception {
        return DeadLetterTopic.readAll(pulsar.client(), topic).get(0);
    }

    /** The consumers the broker counts on a subscription. */
    private static List<? extends ConsumerStats> consumers(TestPulsar pulsar, String topic, String subscription) throws Exception {
        return pulsar.admin().topics().getStats(topic).getSubscriptions().get(subscription).getConsumers();
    }

    /** When the broker says the subscription's one consumer connected. */
    private static String connectedSince(TestPulsar pulsar, String topic, String subscription) throws Exception {
        List<? extends ConsumerStats> consumers = consumers(pulsar, topic, subscription);
        assertEquals(1, consumers.size(), "consumers of " + subscription);
        return consumers.get(0).getConnectedSince();
    }
}
