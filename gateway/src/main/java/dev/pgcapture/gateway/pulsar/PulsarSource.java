package dev.pgcapture.gateway.pulsar;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.RequeueSource;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import dev.pgcapture.core.TopicFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.impl.ConsumerBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer URI's change stream: a Pulsar subscription on a capture topic written in
 * {@link TopicFormat}, as a {@link RequeueSource}. Opened by {@link PulsarSources#open}.
 *
 * <p><b>Subscription.</b> {@link DeliveryMode#EXACT} consumes through a Failover subscription:
 * one consumer receives the stream, in topic order; another one on the same subscription is a
 * hot standby ({@link #active()} is false) until the active one leaves, and then receives
 * everything not acknowledged, in order. The active flag follows the broker's notifications: it
 * turns true about a second after the first consumer subscribes (the broker's failover delay).
 * A consumer the broker makes inactive may still hand out what it prefetched before, which the
 * new active consumer receives too; a caller stops reading while {@link #active()} is false.
 * Among exact-mode consumers the oldest is active (see {@link PulsarSources}).
 * {@link DeliveryMode#SHARED} consumes
 * through a Shared subscription: its consumers share the stream. A subscription the broker does
 * not know yet starts at the topic's earliest message: a new URI receives the whole retained
 * stream. Opening a source in the mode other than the one the subscription is consumed in, by
 * this process or (as the broker reports) another, fails with an {@link IllegalStateException}
 * naming both modes.
 *
 * <p><b>Messages.</b> {@link #next} returns whole messages; the checkpoint is the message key,
 * its {@code data} the Pulsar message id ({@link MessageId#toByteArray()}) of the message's last
 * Pulsar message, as pgcapture clients expect. The {@link SourceMessage#commitTime} is the Pulsar
 * message's event time, where the capture agent records its transaction's commit time (to the
 * millisecond); null when the message has none. A message split into fragments is delivered once
 * its first fragment arrives: the other fragments are read from the topic with a Reader (a
 * subscription may deliver them to another consumer, or not at all), and fragments the
 * subscription delivers apart from a first one are acknowledged as they arrive. A fragment
 * sequence the writer cut short is acknowledged and skipped. A message that is not in the format
 * (key, fragment property or payload) is not skipped: {@link #next} throws a
 * {@link TopicFormatException} naming its message id and the problem, leaves it
 * unacknowledged, and the source stays failed.
 *
 * <p><b>Acknowledgements.</b> {@link #commit} acknowledges the Pulsar message of that checkpoint
 * alone, not everything before it: every delivered message is committed or requeued on its own.
 * Batches are acknowledged message by message (batch index acknowledgement), so a batch with some
 * messages acknowledged and one requeued redelivers only that one; this needs the broker setting
 * {@code acknowledgmentAtBatchIndexLevelEnabled=true}, without which a redelivered batch comes
 * back whole (duplicates, never a loss). A requeue in shared mode is a negative acknowledgement:
 * the broker delivers the message again after {@link PulsarSourceSettings#negativeAckRedeliveryDelay},
 * to any consumer, out of order. In exact mode the caller retries in place itself, and a requeue
 * gives the message up: its Pulsar messages are published unchanged, with the reason, the
 * original topic, subscription and message id as properties, to the dead-letter topic
 * {@code <topic>-<subscription>-DLQ}, and then acknowledged. {@link #close} leaves what is not
 * acknowledged to the subscription's next consumer, and never leaves the consumer subscribed: when
 * the client fails to close it, or the broker does not confirm within
 * {@link PulsarSourceSettings#operationTimeout}, the consumer's connection is closed, on which the
 * broker drops it; the client's other consumers and producers on that connection reconnect.
 *
 * <p><b>Memory.</b> The consumer prefetches at most {@link PulsarSourceSettings#receiverQueueSize}
 * Pulsar messages (the broker sends whole batches, so up to one batch more), each at most the
 * writer's fragment size; payloads are not kept after delivery, only message ids.
 * {@link #bufferedBytes} tells how much a source holds.
 *
 * <p><b>Threads.</b> One thread calls {@link #capture} and {@link #next}; {@link #commit},
 * {@link #acknowledge}, {@link #requeue}, {@link #active}, {@link #head}, {@link #bufferedBytes}
 * and {@link #close} may be called from any thread.
 */
public final class PulsarSource implements RequeueSource {

    private static final Logger log = LoggerFactory.getLogger(PulsarSource.class);

    /** What an unacknowledged message costs besides its payload: its id, its entry in the map. */
    private static final long UNACKED_BYTES = 96;

    /** A delivered message not yet committed or requeued: its first Pulsar message, and how many it has. */
    private record Delivered(MessageId first, int parts) {
    }

    private final PulsarClient client;
    private final String topic;
    private final String subscription;
    private final DeliveryMode mode;
    private final PulsarSourceSettings settings;
    private final Consumer<byte[]> consumer;
    private final AtomicBoolean active;
    private final Runnable release;
    private final DeadLetters deadLetters;
    private final Map<Checkpoint, Delivered> unacked = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Checkpoint after;
    private volatile FragmentFetch fetch;
    private Exception failure;
    private long skipped;

    PulsarSource(PulsarClient client, String topic, String subscription, DeliveryMode mode, PulsarSourceSettings settings,
            Consumer<byte[]> consumer, AtomicBoolean active, Runnable release) {
        this.client = client;
        this.topic = topic;
        this.subscription = subscription;
        this.mode = mode;
        this.settings = settings;
        this.consumer = consumer;
        this.active = active;
        this.release = release;
        this.deadLetters = new DeadLetters(client, topic, subscription, settings.operationTimeout());
    }

    /** The topic, fully qualified. */
    public String topic() {
        return topic;
    }

    /** The subscription. */
    public String subscription() {
        return subscription;
    }

    /** The delivery mode. */
    public DeliveryMode mode() {
        return mode;
    }

    /** Where exact mode publishes the messages it gives up on: {@code <topic>-<subscription>-DLQ}. */
    public String deadLetterTopic() {
        return DeadLetters.topicFor(topic, subscription);
    }

    /**
     * Starts delivering. {@link Checkpoint#ZERO}: wherever the subscription stands (its first
     * message not acknowledged). Another checkpoint: messages at or before it are acknowledged
     * as they arrive and not delivered; the subscription is not moved, so they are read first.
     */
    @Override
    public void capture(Checkpoint after) {
        Objects.requireNonNull(after, "after");
        if (this.after != null) {
            throw new IllegalStateException("capture was already called on the source of subscription " + subscription + " on " + topic);
        }
        this.after = after;
    }

    @Override
    public SourceMessage next(Duration timeout) throws Exception {
        if (after == null) {
            throw new IllegalStateException("call capture before next");
        }
        if (failure != null) {
            throw failure;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                FragmentFetch pending = fetch;
                if (pending != null) {
                    SourceMessage whole = finishFetch(pending, deadline);
                    if (whole != null) {
                        return whole;
                    }
                    if (fetch != null) {
                        return null;
                    }
                    continue;
                }
                long left = deadline - System.nanoTime();
                Message<byte[]> message = consumer.receive((int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)), TimeUnit.MILLISECONDS);
                if (message == null) {
                    return null;
                }
                SourceMessage whole = accept(message);
                if (whole != null) {
                    return whole;
                }
            }
        } catch (Exception e) {
            failure = e;
            throw e;
        }
    }

    /** Takes one Pulsar message of the subscription: a whole message to deliver, or null. */
    private SourceMessage accept(Message<byte[]> message) throws IOException {
        Checkpoint checkpoint;
        Optional<TopicFormat.Fragment> fragment;
        try {
            checkpoint = TopicFormat.parseKey(message.getKey());
            fragment = TopicFormat.fragmentOf(message.getKey(), message.getProperties());
        } catch (TopicFormatException e) {
            throw notInFormat(message.getMessageId(), e);
        }
        if (!checkpoint.isAfter(after)) {
            consumer.acknowledgeAsync(message.getMessageId());
            skipped++;
            return null;
        }
        if (fragment.isPresent()) {
            if (fragment.get().isFirst()) {
                fetch = new FragmentFetch(client, topic, message);
            } else {
                // Read through the first fragment's Reader, whoever holds that one.
                consumer.acknowledgeAsync(message.getMessageId());
            }
            return null;
        }
        SourceMessage whole;
        try {
            whole = new TopicFormat.Assembler().accept(message.getKey(), message.getProperties(), message.getValue()).orElseThrow();
        } catch (TopicFormatException e) {
            throw notInFormat(message.getMessageId(), e);
        }
        return deliver(whole, message.getMessageId(), message.getMessageId(), 1, message.getEventTime());
    }

    private SourceMessage finishFetch(FragmentFetch pending, long deadline) throws IOException, InterruptedException {
        FragmentFetch.State state;
        try {
            state = pending.poll(deadline);
        } catch (TopicFormatException e) {
            throw notInFormat(pending.first(), e);
        }
        switch (state) {
            case PENDING -> {
                return null;
            }
            case CUT_SHORT -> {
                log.info("topic {}, subscription {}: the fragments of key \"{}\" from message {} were cut short by a writer crash;"
                        + " the message was sent again after them and is delivered from there", topic, subscription, pending.key(), pending.first());
                consumer.acknowledgeAsync(pending.first());
                closeFetch(pending);
                return null;
            }
            case COMPLETE -> {
                closeFetch(pending);
                SourceMessage whole = pending.message();
                return deliver(whole, pending.first(), pending.last(), pending.parts(), pending.eventTime());
            }
            default -> throw new IllegalStateException("unexpected fetch state " + state);
        }
    }

    private void closeFetch(FragmentFetch pending) {
        fetch = null;
        pending.close();
    }

    /** @param eventTime the Pulsar event time, the commit time the capture agent recorded; 0 when unset */
    private SourceMessage deliver(SourceMessage whole, MessageId first, MessageId last, int parts, long eventTime) {
        if (skipped > 0) {
            log.info("topic {}, subscription {}: acknowledged {} messages at or before {} without delivering them", topic, subscription, skipped, after);
            skipped = 0;
        }
        Checkpoint position = Checkpoint.of(whole.checkpoint().lsn(), whole.checkpoint().seq());
        unacked.put(position, new Delivered(first, parts));
        return new SourceMessage(position.withData(ByteString.copyFrom(last.toByteArray())), whole.message(),
                eventTime > 0 ? Instant.ofEpochMilli(eventTime) : null);
    }

    private TopicFormatException notInFormat(MessageId id, TopicFormatException e) {
        return new TopicFormatException("topic " + topic + ", subscription " + subscription + ": Pulsar message " + id
                + " is not a pgcapture message and is left unacknowledged: " + e.getMessage(), e);
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        acknowledge(checkpoint);
    }

    /**
     * Acknowledges the Pulsar messages of {@code checkpoint} (matched by LSN and seq; its data is
     * ignored), as {@link #commit} does.
     *
     * @return false when no delivered message waits for it: never delivered by this source,
     *     already committed or requeued
     */
    public boolean acknowledge(Checkpoint checkpoint) {
        Delivered delivered = unacked.remove(Checkpoint.of(checkpoint.lsn(), checkpoint.seq()));
        if (delivered == null) {
            log.debug("topic {}, subscription {}: commit of {}, which is not waiting for an acknowledgement", topic, subscription, checkpoint);
            return false;
        }
        consumer.acknowledgeAsync(delivered.first()).exceptionally(e -> {
            log.warn("topic {}, subscription {}: acknowledging {} (message {}) failed; it will be delivered again: {}",
                    topic, subscription, checkpoint, delivered.first(), e.getMessage());
            return null;
        });
        return true;
    }

    /**
     * Shared mode: delivers the message again later, to any consumer of the subscription. Exact
     * mode: publishes it to {@link #deadLetterTopic()} and acknowledges it, blocking until the
     * broker has stored it. A checkpoint that is not waiting for an acknowledgement is ignored.
     *
     * @throws UncheckedIOException when the dead-letter topic could not take the message; it
     *     stays delivered and unacknowledged
     */
    @Override
    public void requeue(Checkpoint checkpoint, String reason) {
        Objects.requireNonNull(reason, "reason");
        Checkpoint position = Checkpoint.of(checkpoint.lsn(), checkpoint.seq());
        Delivered delivered = unacked.remove(position);
        if (delivered == null) {
            log.debug("topic {}, subscription {}: requeue of {}, which is not waiting for an acknowledgement", topic, subscription, checkpoint);
            return;
        }
        switch (mode) {
            case SHARED -> consumer.negativeAcknowledge(delivered.first());
            case EXACT -> {
                try {
                    deadLetters.publish(position, delivered.first(), delivered.parts(), reason);
                } catch (IOException e) {
                    unacked.put(position, delivered);
                    throw new UncheckedIOException("topic " + topic + ", subscription " + subscription + ": cannot publish " + position
                            + " to the dead-letter topic " + deadLetterTopic() + ": " + e.getMessage(), e);
                }
                log.warn("topic {}, subscription {}: gave up on {} (message {}): {}; published to {}", topic, subscription, position,
                        delivered.first(), reason, deadLetterTopic());
                consumer.acknowledgeAsync(delivered.first());
            }
            default -> throw new IllegalStateException("unexpected mode " + mode);
        }
    }

    @Override
    public boolean active() {
        return active.get() && !closed.get();
    }

    @Override
    public Optional<Checkpoint> head() throws Exception {
        return TopicHead.read(client, consumer, topic, settings.operationTimeout());
    }

    /**
     * What this source holds in memory, in bytes: the consumer's prefetched messages, the
     * fragments of a message being joined, and an estimate for each message delivered and not
     * yet committed or requeued (its id, not its payload).
     */
    public long bufferedBytes() {
        // The client adds a message to its count just after queueing it, so a receive in between takes it off first and the
        // count dips below zero for a moment.
        long prefetched = consumer instanceof ConsumerBase<?> base ? Math.max(0, base.getIncomingMessageSize()) : 0;
        FragmentFetch pending = fetch;
        return prefetched + (pending == null ? 0 : pending.heldBytes()) + unacked.size() * UNACKED_BYTES;
    }

    /** The consumer, for tests in this package. */
    Consumer<byte[]> consumer() {
        return consumer;
    }

    /** How many delivered messages wait for a commit or requeue. */
    public int unacknowledged() {
        return unacked.size();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            FragmentFetch pending = fetch;
            if (pending != null) {
                pending.close();
            }
            deadLetters.close();
        } catch (RuntimeException e) {
            log.warn("topic {}, subscription {}: closing the fragment reader or the dead-letter producer failed: {}", topic, subscription,
                    e.getMessage());
        }
        try {
            ConsumerClose.close(consumer, settings.operationTimeout(), "topic " + topic + ", subscription " + subscription);
        } finally {
            release.run();
        }
    }

    @Override
    public String toString() {
        return "PulsarSource[" + topic + ", subscription " + subscription + ", " + mode.parameterValue() + "]";
    }
}
