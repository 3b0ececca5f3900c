package dev.pgcapture.gateway.resolve;

import dev.pgcapture.agent.pulsar.Streams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.pulsar.PulsarSource;
import dev.pgcapture.gateway.pulsar.PulsarSourceSettings;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import dev.pgcapture.gateway.pulsar.TopicWriter;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The static resolver opens each URI's subscription on its topic, with one client per Pulsar URL. */
@ExtendWith(PulsarExtension.class)
class StaticResolverIT {

    @Test
    void source_readsTheUrisSubscription_andClosingTheResolverEndsItsSources(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        List<SourceMessage> stream = Streams.transaction(0x1000, 3, 20);
        try (TopicWriter writer = TopicWriter.open(pulsar.client(), topic)) {
            writer.write(stream);
        }
        ResolverConfig config = ResolverConfig.of(Map.of(
                "orders", new ResolverConfig.Entry(pulsar.serviceUrl(), topic, "orders", Optional.empty()),
                "audit", new ResolverConfig.Entry(pulsar.serviceUrl(), topic, "audit", Optional.empty())));
        StaticResolver resolver = new StaticResolver(config, new PulsarSources(PulsarSourceSettings.defaults(), Clock.systemUTC()),
                PulsarClients.withDefaults(), FakeDumper::new);
        PulsarSource orders = resolver.source("orders", DeliveryMode.EXACT);
        PulsarSource audit = resolver.source("audit", DeliveryMode.SHARED);
        try {
            assertEquals(topic, orders.topic());
            assertEquals("orders", orders.subscription());
            IllegalStateException conflict = assertThrows(IllegalStateException.class, () -> resolver.source("orders", DeliveryMode.SHARED));
            assertTrue(conflict.getMessage().contains("subscription \"orders\""), conflict.getMessage());
            for (PulsarSource source : List.of(orders, audit)) {
                source.capture(Checkpoint.ZERO);
                List<SourceMessage> read = new ArrayList<>();
                while (read.size() < stream.size()) {
                    SourceMessage message = source.next(Duration.ofSeconds(30));
                    assertNotNull(message, source + " delivered " + read.size() + " of " + stream.size());
                    read.add(message);
                }
                assertEquals(stream, Streams.withoutData(read));
            }
        } finally {
            resolver.close();
        }
        assertThrows(Exception.class, () -> orders.next(Duration.ofSeconds(1)));
        orders.close();
        audit.close();
    }
}
