package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.core.DeliveryMode;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * The subscriptions this process consumes, each in one {@link DeliveryMode}, so that a second
 * source on a subscription in the other mode is refused before it reaches the broker.
 *
 * <p>It also hands out Failover priority levels. On a non-partitioned topic the broker picks the
 * active consumer among those of the best (lowest) priority level by hashing consumer names, so
 * a consumer that joins could take the stream from the one that has it. Each exact-mode consumer
 * therefore gets the seconds since {@link #PRIORITY_EPOCH} as its level, and in this process a
 * level above every earlier one on the subscription: an older consumer stays active, a newer one
 * waits. Across gateways that relies on their clocks agreeing to within a second.
 */
final class Subscriptions {

    /** Priority levels count seconds from here. */
    static final Instant PRIORITY_EPOCH = Instant.parse("2024-01-01T00:00:00Z");

    private record Key(PulsarClient client, String topic, String subscription) {
    }

    private static final class Holder {
        final DeliveryMode mode;
        int sources;
        int lastPriority = -1;

        Holder(DeliveryMode mode) {
            this.mode = mode;
        }
    }

    /**
     * A source's hold on a subscription.
     *
     * @param priorityLevel the consumer's priority level (exact mode; 0 in shared mode)
     * @param release gives the hold up; idempotent
     */
    record Lease(int priorityLevel, Runnable release) {
    }

    private final Clock clock;
    private final Map<Key, Holder> holders = new HashMap<>();

    Subscriptions(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Takes a hold on {@code subscription} of {@code topic} for a source in {@code mode}.
     *
     * @throws IllegalStateException when a source of this process holds it in the other mode
     */
    synchronized Lease acquire(PulsarClient client, String topic, String subscription, DeliveryMode mode) {
        Key key = new Key(client, topic, subscription);
        Holder holder = holders.computeIfAbsent(key, k -> new Holder(mode));
        if (holder.mode != mode) {
            throw new IllegalStateException(conflict(topic, subscription, holder.mode, mode, "a consumer of this gateway"));
        }
        holder.sources++;
        int priority = 0;
        if (mode == DeliveryMode.EXACT) {
            long seconds = Math.max(0, clock.instant().getEpochSecond() - PRIORITY_EPOCH.getEpochSecond());
            priority = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(seconds, holder.lastPriority + 1L));
            holder.lastPriority = priority;
        }
        boolean[] released = {false};
        return new Lease(priority, () -> {
            synchronized (this) {
                if (!released[0]) {
                    released[0] = true;
                    if (--holder.sources == 0) {
                        holders.remove(key, holder);
                    }
                }
            }
        });
    }

    /** The message for a subscription held in {@code held} mode that a source wants in {@code wanted} mode. */
    static String conflict(String topic, String subscription, DeliveryMode held, DeliveryMode wanted, String holder) {
        return "subscription \"" + subscription + "\" of topic " + topic + " is consumed in " + held.parameterValue() + " mode ("
                + subscriptionType(held) + " subscription) by " + holder + "; it cannot be consumed in " + wanted.parameterValue()
                + " mode (" + subscriptionType(wanted) + ") at the same time. Use the same Mode for every consumer of a URI.";
    }

    static String subscriptionType(DeliveryMode mode) {
        return switch (mode) {
            case EXACT -> "Failover";
            case SHARED -> "Shared";
        };
    }
}
