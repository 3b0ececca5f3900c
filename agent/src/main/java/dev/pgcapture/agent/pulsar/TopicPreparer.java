package dev.pgcapture.agent.pulsar;

import dev.pgcapture.agent.FatalAgentException;
import java.time.Duration;
import java.util.Objects;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.admin.PulsarAdminException;
import org.apache.pulsar.common.policies.data.RetentionPolicies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the sink's topic what exactly-once publishing needs: it exists and is not partitioned,
 * broker deduplication is enabled for it and in force, and its retention is set. Idempotent.
 */
final class TopicPreparer {

    private static final Logger log = LoggerFactory.getLogger(TopicPreparer.class);
    private static final String DEDUPLICATION_ENABLED = "Enabled";
    private static final long POLL_MILLIS = 50;

    private final PulsarAdmin admin;

    TopicPreparer(PulsarAdmin admin) {
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    void prepare(PulsarSinkSettings settings) throws PulsarAdminException, InterruptedException, FatalAgentException {
        String topic = settings.topic();
        try {
            admin.topics().createNonPartitionedTopic(topic);
            log.info("Created topic {}", topic);
        } catch (PulsarAdminException.ConflictException exists) {
            log.debug("Topic {} exists", topic);
        }
        int partitions = admin.topics().getPartitionedTopicMetadata(topic).partitions;
        if (partitions > 0) {
            throw new FatalAgentException("topic " + topic + " is partitioned (" + partitions
                    + " partitions); pgcapture needs a non-partitioned topic to keep the stream in one order");
        }
        RetentionPolicies retention = new RetentionPolicies((int) settings.retentionTime().toMinutes(),
                settings.retentionSizeMb().orElse(-1));
        // Set a policy only when it differs: every update makes the broker reload the topic's
        // policies, and a running agent's producer must not be disturbed by a rival's start.
        if (!Boolean.TRUE.equals(admin.topicPolicies().getDeduplicationStatus(topic, false))) {
            admin.topicPolicies().setDeduplicationStatus(topic, true);
        }
        if (!retention.equals(admin.topicPolicies().getRetention(topic, false))) {
            admin.topicPolicies().setRetention(topic, retention);
        }
        awaitApplied(topic, retention, settings.setupTimeout());
        log.info("Topic {}: deduplication enabled, retention {} minutes / {}", topic, retention.getRetentionTimeInMinutes(),
                settings.retentionSizeMb().isPresent() ? settings.retentionSizeMb().getAsLong() + " MB" : "no size limit");
    }

    /** Topic policies reach the broker through a system topic: wait until they are in force. */
    private void awaitApplied(String topic, RetentionPolicies retention, Duration timeout) throws PulsarAdminException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Boolean deduplication = admin.topicPolicies().getDeduplicationStatus(topic, true);
            RetentionPolicies applied = admin.topicPolicies().getRetention(topic, true);
            String status = admin.topics().getStats(topic).getDeduplicationStatus();
            if (Boolean.TRUE.equals(deduplication) && retention.equals(applied) && DEDUPLICATION_ENABLED.equals(status)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the broker did not apply the policies of topic " + topic + " within " + timeout
                        + ": deduplication policy " + deduplication + ", deduplication status " + status + ", retention " + applied
                        + " (wanted " + retention + ")");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
