package dev.pgcapture.gateway.pulsar;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A subscription is consumed in one mode at a time; the other mode is refused, naming both. */
@ExtendWith(PulsarExtension.class)
class PulsarSourceModeConflictIT {

    @Test
    void inThisProcess_aSourceInTheOtherMode_isRefused_untilTheFirstCloses(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        PulsarSources sources = Reading.sources();
        PulsarSource exact = sources.open(pulsar.client(), topic, "orders", DeliveryMode.EXACT);
        try (PulsarSource standby = sources.open(pulsar.client(), topic, "orders", DeliveryMode.EXACT)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sources.open(pulsar.client(), topic, "orders", DeliveryMode.SHARED));
            assertNamesBothModes(e, "orders");
            assertTrue(e.getMessage().contains("a consumer of this gateway"), e.getMessage());
            // Another subscription of the same topic is free.
            sources.open(pulsar.client(), topic, "invoices", DeliveryMode.SHARED).close();
        } finally {
            exact.close();
        }
        // Every exact source closed: the subscription may change mode.
        sources.open(pulsar.client(), topic, "orders", DeliveryMode.SHARED).close();
    }

    @Test
    void acrossProcesses_theBrokersRefusal_isReportedNamingBothModes(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        PulsarSources sources = Reading.sources();
        try (Consumer<byte[]> other = pulsar.client().newConsumer(Schema.BYTES).topic(topic).subscriptionName("orders")
                .subscriptionType(SubscriptionType.Shared).subscribe()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sources.open(pulsar.client(), topic, "orders", DeliveryMode.EXACT));
            assertNamesBothModes(e, "orders");
            assertTrue(e.getMessage().contains("another consumer"), e.getMessage());
        }
        try (Consumer<byte[]> other = pulsar.client().newConsumer(Schema.BYTES).topic(topic).subscriptionName("invoices")
                .subscriptionType(SubscriptionType.Failover).subscribe()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sources.open(pulsar.client(), topic, "invoices", DeliveryMode.SHARED));
            assertNamesBothModes(e, "invoices");
        }
        // The refused sources gave their hold up: this process may consume in either mode now.
        sources.open(pulsar.client(), topic, "orders", DeliveryMode.EXACT).close();
        sources.open(pulsar.client(), topic, "invoices", DeliveryMode.SHARED).close();
    }

    private static void assertNamesBothModes(IllegalStateException e, String subscription) {
        String message = e.getMessage();
        assertTrue(message.contains("subscription \"" + subscription + "\""), message);
        assertTrue(message.contains("exact mode (Failover"), message);
        assertTrue(message.contains("shared mode (Shared"), message);
    }
}
