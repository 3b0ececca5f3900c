package dev.pgcapture.agent.pulsar;

import dev.pgcapture.agent.FatalAgentException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.common.policies.data.RetentionPolicies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What setup makes of the topic, and which topics and rivals it refuses. */
@ExtendWith(PulsarExtension.class)
class PulsarSinkTopicIT {

    @Test
    void setup_createsTheTopic_withDeduplicationInForce_andDefaultRetention(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), PulsarSinkSettings.forTopic(topic))) {
            sink.setup(new Committed());
            assertEquals(0, pulsar.admin().topics().getPartitionedTopicMetadata(topic).partitions);
            assertEquals(Boolean.TRUE, pulsar.admin().topicPolicies().getDeduplicationStatus(topic, true));
            assertEquals("Enabled", pulsar.admin().topics().getStats(topic).getDeduplicationStatus());
            assertEquals(new RetentionPolicies(7 * 24 * 60, -1), pulsar.admin().topicPolicies().getRetention(topic, true));
        }
    }

    @Test
    void setup_onAnExistingTopic_setsTheConfiguredRetention(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        pulsar.admin().topics().createNonPartitionedTopic(topic);
        PulsarSinkSettings settings = PulsarSinkSettings.forTopic(topic).withRetention(Duration.ofHours(3), OptionalLong.of(2048));
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), settings)) {
            sink.setup(new Committed());
            assertEquals(new RetentionPolicies(180, 2048), pulsar.admin().topicPolicies().getRetention(topic, true));
            assertEquals(Boolean.TRUE, pulsar.admin().topicPolicies().getDeduplicationStatus(topic, true));
        }
    }

    @Test
    void setup_refusesAPartitionedTopic(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        pulsar.admin().topics().createPartitionedTopic(topic, 2);
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), PulsarSinkSettings.forTopic(topic))) {
            FatalAgentException e = assertThrows(FatalAgentException.class, () -> sink.setup(new Committed()));
            assertEquals("topic " + topic + " is partitioned (2 partitions); pgcapture needs a non-partitioned topic to keep the stream in one order",
                    e.getMessage());
        }
    }

    @Test
    void setup_ofASecondSinkOnTheSameTopic_failsNamingTopicAndProducer_andTheFirstKeepsPublishing(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        PulsarSinkSettings settings = PulsarSinkSettings.forTopic(topic);
        List<SourceMessage> stream = Streams.transaction(0x1000, 3, 10);
        Committed committed = new Committed();
        // A second agent is another process: its own client, its own connection to the broker.
        // Regression: reading the topic's tail with MessageId.latest + inclusive made the first
        // sink's producer reconnect, and the second sink took the topic in that window.
        try (PulsarSink first = new PulsarSink(pulsar.client(), pulsar.admin(), settings);
                PulsarClient secondAgent = PulsarClient.builder().serviceUrl(pulsar.serviceUrl()).build()) {
            first.setup(committed);
            try (PulsarSink second = new PulsarSink(secondAgent, pulsar.admin(), settings)) {
                FatalAgentException e = assertThrows(FatalAgentException.class, () -> second.setup(new Committed()));
                assertTrue(e.getMessage().startsWith("topic " + topic + " already has a producer: producer " + settings.producerName()
                        + " cannot publish to it exclusively. Is another pgcapture agent running on this topic?"), e.getMessage());
            }
            try (PulsarSink other = new PulsarSink(secondAgent, pulsar.admin(), settings.withProducerName("another-name"))) {
                FatalAgentException e = assertThrows(FatalAgentException.class, () -> other.setup(new Committed()));
                assertTrue(e.getMessage().startsWith("topic " + topic + " already has a producer: producer another-name"), e.getMessage());
            }
            for (SourceMessage message : stream) {
                first.apply(message);
            }
            first.flush(Duration.ofSeconds(30));
        }
        assertEquals(stream.get(stream.size() - 1).checkpoint(), committed.last());
        assertEquals(stream, Topics.readAll(pulsar.client(), topic));
    }
}
