package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.core.DeliveryMode;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.ConsumerEventListener;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.common.naming.TopicName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@link PulsarSource}s, and knows which subscriptions this process consumes in which
 * {@link DeliveryMode}: a source in the other mode than a live one on the same topic and
 * subscription (and client) is refused with an {@link IllegalStateException} naming both, and so
 * is one the broker refuses because another process consumes the subscription in the other mode.
 * One instance per process (or per resolver); thread-safe.
 *
 * <p>Exact-mode consumers get increasing Failover priority levels (seconds since 2024, and above
 * every earlier one of this process on the subscription), so that the broker keeps the stream
 * with the oldest consumer and a newer one waits as a hot standby: on a non-partitioned topic the
 * broker would otherwise choose among consumers of one level by a hash of their names, and a
 * newcomer could take the stream over. Across gateways this relies on their clocks agreeing to
 * within a second; two consumers subscribing within the same second elsewhere are ordered by the
 * broker's hash.
 */
public final class PulsarSources {

    private static final Logger log = LoggerFactory.getLogger(PulsarSources.class);

    private final PulsarSourceSettings settings;
    private final Subscriptions subscriptions;

    /**
     * @param settings how sources consume
     * @param clock orders exact-mode consumers: an older one keeps the stream, a newer one waits
     */
    public PulsarSources(PulsarSourceSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.subscriptions = new Subscriptions(clock);
    }

    /** How sources consume. */
    public PulsarSourceSettings settings() {
        return settings;
    }

    /**
     * Subscribes to {@code subscription} on {@code topic} (a non-partitioned capture topic) in
     * {@code mode}; the source delivers once {@link PulsarSource#capture} is called. The caller
     * owns and closes it.
     *
     * @throws IllegalStateException when the subscription is consumed in the other mode
     * @throws IllegalArgumentException when the topic name is invalid
     * @throws PulsarClientException when the broker cannot be reached or refuses otherwise
     */
    public PulsarSource open(PulsarClient client, String topic, String subscription, DeliveryMode mode) throws PulsarClientException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(mode, "mode");
        String fullTopic = TopicName.get(Objects.requireNonNull(topic, "topic")).toString();
        if (Objects.requireNonNull(subscription, "subscription").isBlank()) {
            throw new IllegalArgumentException("the subscription of topic " + fullTopic + " must not be blank");
        }
        Subscriptions.Lease lease = subscriptions.acquire(client, fullTopic, subscription, mode);
        try {
            AtomicBoolean active = new AtomicBoolean(mode == DeliveryMode.SHARED);
            var builder = client.newConsumer(Schema.BYTES)
                    .topic(fullTopic)
                    .subscriptionName(subscription)
                    .subscriptionType(mode == DeliveryMode.EXACT ? SubscriptionType.Failover : SubscriptionType.Shared)
                    .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                    .receiverQueueSize(settings.receiverQueueSize())
                    // Off: with auto-scaling, the client (4.0.x) also charges a consumer's prefetch to its memory limit and
                    // releases the consumer's byte count from it on close. That count can be below zero for a moment (a message
                    // is received before the client counts it in), and then the close throws ("the param memorySize is a
                    // negative value") before telling the broker, leaving the consumer subscribed: a Failover subscription's
                    // next consumer would wait behind it forever. Without auto-scaling the client never touches its memory
                    // limit for consumers, and the receiver queue size bounds the prefetch.
                    .autoScaledReceiverQueueSizeEnabled(false)
                    .enableBatchIndexAcknowledgment(true)
                    .negativeAckRedeliveryDelay(settings.negativeAckRedeliveryDelay().toMillis(), TimeUnit.MILLISECONDS);
            if (mode == DeliveryMode.EXACT) {
                builder.priorityLevel(lease.priorityLevel()).consumerEventListener(new ActiveListener(active, fullTopic, subscription));
            }
            Consumer<byte[]> consumer = builder.subscribe();
            log.info("subscribed to {} as {} ({} mode, {} subscription, priority level {})", fullTopic, subscription, mode.parameterValue(),
                    Subscriptions.subscriptionType(mode), lease.priorityLevel());
            return new PulsarSource(client, fullTopic, subscription, mode, settings, consumer, active, lease.release());
        } catch (PulsarClientException e) {
            lease.release().run();
            if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("different type")) {
                DeliveryMode other = mode == DeliveryMode.EXACT ? DeliveryMode.SHARED : DeliveryMode.EXACT;
                throw new IllegalStateException(Subscriptions.conflict(fullTopic, subscription, other, mode,
                        "another consumer (the broker says: " + e.getMessage() + ")"), e);
            }
            throw e;
        } catch (RuntimeException e) {
            lease.release().run();
            throw e;
        }
    }

    /** Follows the broker's choice of the active consumer of a Failover subscription. */
    private static final class ActiveListener implements ConsumerEventListener {

        private static final long serialVersionUID = 1L;

        private final AtomicBoolean active;
        private final String topic;
        private final String subscription;

        ActiveListener(AtomicBoolean active, String topic, String subscription) {
            this.active = active;
            this.topic = topic;
            this.subscription = subscription;
        }

        @Override
        public void becameActive(Consumer<?> consumer, int partitionId) {
            active.set(true);
            log.info("topic {}, subscription {}: consumer {} is active", topic, subscription, consumer.getConsumerName());
        }

        @Override
        public void becameInactive(Consumer<?> consumer, int partitionId) {
            active.set(false);
            log.info("topic {}, subscription {}: consumer {} is a standby", topic, subscription, consumer.getConsumerName());
        }
    }
}
