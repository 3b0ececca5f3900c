package dev.pgcapture.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the Pulsar fixture is real: messages go through a persistent topic, all of them, in order. */
@ExtendWith(PulsarExtension.class)
class PulsarFixtureIT {

    private static final int MESSAGES = 10_000;

    @Test
    void topic_deliversTenThousandMessagesInOrder(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        try (Producer<Long> producer = pulsar.client().newProducer(Schema.INT64).topic(topic).create()) {
            CompletableFuture<?>[] sends = new CompletableFuture<?>[MESSAGES];
            for (int i = 0; i < MESSAGES; i++) {
                sends[i] = producer.newMessage().key("k" + i).value((long) i).sendAsync();
            }
            CompletableFuture.allOf(sends).get(60, TimeUnit.SECONDS);
        }

        try (Consumer<Long> consumer = pulsar.client().newConsumer(Schema.INT64)
                .topic(topic)
                .subscriptionName("test")
                .subscriptionType(SubscriptionType.Exclusive)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .subscribe()) {
            for (long expected = 0; expected < MESSAGES; expected++) {
                Message<Long> message = consumer.receive(30, TimeUnit.SECONDS);
                assertNotNull(message, "message " + expected + " did not arrive");
                assertEquals(expected, message.getValue());
                assertEquals("k" + expected, message.getKey());
                consumer.acknowledge(message);
            }
            assertNull(consumer.receive(200, TimeUnit.MILLISECONDS), "no message beyond the ones sent");
        }
    }

    @Test
    void newTopic_isUniqueAndAdminSeesIt(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        pulsar.admin().topics().createNonPartitionedTopic(topic);
        assertEquals(0, pulsar.admin().topics().getStats(topic).getPublishers().size());
        assertEquals(false, topic.equals(pulsar.newTopic()));
    }
}
