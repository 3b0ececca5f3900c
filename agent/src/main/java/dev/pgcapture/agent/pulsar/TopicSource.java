package dev.pgcapture.agent.pulsar;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Readiness;
import dev.pgcapture.core.Source;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.KeepAlive;
import dev.pgcapture.proto.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A capture topic as a {@link Source}, for the replica applier: reads from a checkpoint on,
 * without a subscription (the replica keeps its own position, so the topic needs none).
 *
 * <p>{@link #capture} starts at the Pulsar message whose id is the checkpoint's data, that
 * message included, or at the topic's first message when the data is empty (a replica just
 * seeded knows an LSN, not a message id); either way every message at or before the checkpoint
 * is skipped. While the topic is quiet, {@link #next} returns a {@code KeepAlive} at the last
 * position instead of nothing, so that a sink can commit what it batched on time.
 * {@link #commit} does nothing: the replica's checkpoint is the position. One thread reads.
 */
public final class TopicSource implements Source, Readiness {

    private static final Logger log = LoggerFactory.getLogger(TopicSource.class);

    private final PulsarClient client;
    private final String topic;
    private volatile TopicReader reader;
    private Checkpoint after;
    private Checkpoint last;
    private long skipped;

    public TopicSource(PulsarClient client, String topic) {
        this.client = Objects.requireNonNull(client, "client");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    /** Ready while its reader is connected to the broker. */
    @Override
    public Optional<String> whyNotReady() {
        TopicReader open = reader;
        if (open == null) {
            return Optional.of("not reading topic " + topic + " yet");
        }
        return open.isConnected() ? Optional.empty() : Optional.of("the reader of topic " + topic + " is not connected");
    }

    @Override
    public void capture(Checkpoint after) throws IOException {
        if (reader != null) {
            throw new IllegalStateException("capture was already called on the source of topic " + topic);
        }
        this.after = Objects.requireNonNull(after, "after");
        this.last = after;
        if (after.data().isEmpty()) {
            reader = TopicReader.fromEarliest(client, topic);
            log.info("reading topic {} from its first message, skipping everything up to {}", topic, after);
        } else {
            MessageId start = MessageId.fromByteArray(after.data().toByteArray());
            reader = TopicReader.fromMessage(client, topic, start);
            log.info("reading topic {} from message {} (checkpoint {})", topic, start, after);
        }
    }

    @Override
    public SourceMessage next(Duration timeout) throws IOException {
        if (reader == null) {
            throw new IllegalStateException("call capture before next");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SourceMessage message = reader.next(Duration.ofNanos(Math.max(left, 0)));
            if (message == null) {
                return keepAlive();
            }
            if (message.checkpoint().isAfter(after)) {
                if (skipped > 0) {
                    log.info("skipped {} messages of topic {} at or before {}", skipped, topic, after);
                    skipped = 0;
                }
                last = message.checkpoint();
                return message;
            }
            skipped++;
            if (left <= 0) {
                return keepAlive();
            }
        }
    }

    private SourceMessage keepAlive() {
        return new SourceMessage(last, Message.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build());
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        // The replica's checkpoint table is the position; the topic keeps no cursor for it.
    }

    @Override
    public void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                log.warn("closing the reader of topic {} failed: {}", topic, e.getMessage());
            }
        }
    }
}
