package dev.pgcapture.agent.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.core.TopicFormat;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PulsarSinkSettingsTest {

    private static final String TOPIC = "persistent://public/default/orders";

    @Test
    void forTopic_hasTheDocumentedDefaults() {
        PulsarSinkSettings settings = PulsarSinkSettings.forTopic(TOPIC);
        assertEquals("pgcapture-orders", settings.producerName());
        assertEquals(TopicFormat.DEFAULT_MAX_MESSAGE_BYTES, settings.maxMessageBytes());
        assertEquals(Duration.ofDays(7), settings.retentionTime());
        assertEquals(OptionalLong.empty(), settings.retentionSizeMb());
        assertEquals(1000, settings.maxPendingMessages());
        assertEquals(Duration.ofMillis(1), settings.batchingMaxPublishDelay());
        assertEquals(Duration.ofSeconds(30), settings.setupTimeout());
    }

    @Test
    void topic_mustBeFullyQualifiedAndPersistent() {
        for (String bad : new String[] {"orders", "public/default/orders", "non-persistent://public/default/orders",
                "persistent://public/orders", "persistent://public/default/a/b", "persistent://public/default/"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PulsarSinkSettings.forTopic(bad), bad);
            assertEquals("topic \"" + bad + "\" must be persistent://tenant/namespace/name", e.getMessage());
        }
    }

    @Test
    void invalidValues_areRejectedWithExactMessages() {
        PulsarSinkSettings base = PulsarSinkSettings.forTopic(TOPIC);
        assertMessage("producerName must not be blank", () -> base.withProducerName(" "));
        assertMessage("maxMessageBytes must be at least 1, was 0", () -> base.withMaxMessageBytes(0));
        assertMessage("retentionTime must be a positive whole number of minutes, was PT30S",
                () -> base.withRetention(Duration.ofSeconds(30), OptionalLong.empty()));
        assertMessage("retentionTime must be a positive whole number of minutes, was PT1M30S",
                () -> base.withRetention(Duration.ofSeconds(90), OptionalLong.empty()));
        assertMessage("retentionSizeMb must be at least 1 (or empty for no limit), was 0",
                () -> base.withRetention(Duration.ofHours(1), OptionalLong.of(0)));
        assertMessage("maxPendingMessages must be at least 1, was 0", () -> new PulsarSinkSettings(TOPIC, "p", 1, Duration.ofHours(1),
                OptionalLong.empty(), 0, Duration.ofMillis(1), Duration.ofSeconds(1)));
        assertMessage("batchingMaxPublishDelay must be positive, was PT0S", () -> new PulsarSinkSettings(TOPIC, "p", 1, Duration.ofHours(1),
                OptionalLong.empty(), 1, Duration.ZERO, Duration.ofSeconds(1)));
        assertMessage("setupTimeout must be positive, was PT-1S", () -> new PulsarSinkSettings(TOPIC, "p", 1, Duration.ofHours(1),
                OptionalLong.empty(), 1, Duration.ofMillis(1), Duration.ofSeconds(-1)));
    }

    private static void assertMessage(String expected, Runnable construct) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, construct::run).getMessage());
    }
}
