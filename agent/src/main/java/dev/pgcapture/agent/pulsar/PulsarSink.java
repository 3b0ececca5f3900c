package dev.pgcapture.agent.pulsar;

import dev.pgcapture.agent.FatalAgentException;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Readiness;
import dev.pgcapture.core.Sink;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.CompressionType;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.ProducerAccessMode;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TypedMessageBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a change stream to one Pulsar topic, each change exactly once, in
 * {@link TopicFormat}.
 *
 * <p>{@link #setup} makes the topic non-partitioned, deduplicated and retained
 * ({@link TopicPreparer}), opens the only producer the topic accepts (exclusive access, a fixed
 * name, no send timeout, explicit sequence ids continuing the broker's), and returns the last
 * checkpoint the topic holds completely. {@link #apply} drops messages at or before that
 * checkpoint and sends the others asynchronously, batched and LZ4-compressed, blocking while
 * the producer's queue is full. Every Pulsar message of a transaction (its Begin, Changes and
 * Commit, every fragment of each) carries the transaction's commit time as its event time, in
 * milliseconds since the Unix epoch; a KeepAlive carries none. Checkpoints are reported to the
 * {@code committed} callback in stream order, once Pulsar acknowledged them and everything
 * before them. After a failed send the sink reports nothing more and {@link #apply} and
 * {@link #flush} throw.
 *
 * <p>One thread applies; the callback runs on Pulsar's threads. It is {@linkplain Readiness ready}
 * while its producer is connected to the broker; what it publishes is counted in its
 * {@link PublishMetrics}.
 */
public final class PulsarSink implements Sink, Readiness {

    private static final Logger log = LoggerFactory.getLogger(PulsarSink.class);

    private final PulsarClient client;
    private final PulsarAdmin admin;
    private final PulsarSinkSettings settings;
    private final PublishMetrics metrics;
    private final EventTimes eventTimes = new EventTimes();
    private volatile Producer<byte[]> producer;
    private Acknowledgements acknowledgements;
    private Checkpoint resumeAfter;
    private Checkpoint lastApplied;
    private long nextSequenceId;
    private long dropped;

    public PulsarSink(PulsarClient client, PulsarAdmin admin, PulsarSinkSettings settings) {
        this(client, admin, settings, PublishMetrics.none());
    }

    public PulsarSink(PulsarClient client, PulsarAdmin admin, PulsarSinkSettings settings, PublishMetrics metrics) {
        this.client = Objects.requireNonNull(client, "client");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public Optional<String> whyNotReady() {
        Producer<byte[]> open = producer;
        if (open == null) {
            return Optional.of("no producer on topic " + settings.topic() + " yet");
        }
        return open.isConnected() ? Optional.empty()
                : Optional.of("producer " + settings.producerName() + " is not connected to topic " + settings.topic());
    }

    @Override
    public Optional<Checkpoint> setup(Consumer<Checkpoint> committed) throws Exception {
        Objects.requireNonNull(committed, "committed");
        if (producer != null) {
            throw new IllegalStateException("setup was already called on the sink of topic " + settings.topic());
        }
        new TopicPreparer(admin).prepare(settings);
        producer = openProducer();
        try {
            // Read only now: the exclusive producer keeps anyone else from writing behind it.
            Optional<Checkpoint> last = new LastCheckpointReader(client, admin).read(settings.topic(), settings.setupTimeout());
            resumeAfter = last.orElse(null);
            nextSequenceId = producer.getLastSequenceId() + 1;
            acknowledgements = new Acknowledgements(committed);
            log.info("Publishing to topic {} as producer {}: last checkpoint in the topic {}, next sequence id {}",
                    settings.topic(), settings.producerName(), last.map(Checkpoint::toString).orElse("none (empty topic)"), nextSequenceId);
            return last;
        } catch (Exception e) {
            producer.close();
            throw e;
        }
    }

    private Producer<byte[]> openProducer() throws PulsarClientException, FatalAgentException {
        try {
            return client.newProducer(Schema.BYTES)
                    .topic(settings.topic())
                    .producerName(settings.producerName())
                    .accessMode(ProducerAccessMode.Exclusive)
                    // Never give up: after a reconnect the client sends pending messages again,
                    // and deduplication drops the copies the broker already has.
                    .sendTimeout(0, TimeUnit.SECONDS)
                    .blockIfQueueFull(true)
                    .maxPendingMessages(settings.maxPendingMessages())
                    .enableBatching(true)
                    .batchingMaxPublishDelay(settings.batchingMaxPublishDelay().toNanos() / 1000, TimeUnit.MICROSECONDS)
                    // LZ4: the cheapest codec on CPU at both ends, which the capture path shares
                    // with PostgreSQL; ZSTD compresses more but costs several times the CPU.
                    .compressionType(CompressionType.LZ4)
                    .create();
        } catch (PulsarClientException.ProducerBusyException | PulsarClientException.ProducerFencedException e) {
            throw new FatalAgentException("topic " + settings.topic() + " already has a producer: producer " + settings.producerName()
                    + " cannot publish to it exclusively. Is another pgcapture agent running on this topic? If an agent on it"
                    + " died without closing its connection, the broker drops that producer within about a minute; start again"
                    + " then. (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void apply(SourceMessage message) throws Exception {
        if (producer == null) {
            throw new IllegalStateException("apply before setup on the sink of topic " + settings.topic());
        }
        acknowledgements.throwIfFailed(settings.topic());
        // Before dropping what the topic holds: a resumed stream's dropped Begin still starts its transaction.
        long eventTime = eventTimes.next(message.message());
        Checkpoint checkpoint = message.checkpoint();
        if (resumeAfter != null && !checkpoint.isAfter(resumeAfter)) {
            dropped++;
            return;
        }
        if (lastApplied != null && !checkpoint.isAfter(lastApplied)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " is not after the last applied " + lastApplied
                    + "; a stream's checkpoints must strictly increase");
        }
        List<TopicFormat.Part> parts = TopicFormat.split(message, settings.maxMessageBytes());
        long sentAt = System.nanoTime();
        CompletableFuture<?>[] sends = new CompletableFuture<?>[parts.size()];
        for (int i = 0; i < sends.length; i++) {
            TopicFormat.Part part = parts.get(i);
            TypedMessageBuilder<byte[]> out = producer.newMessage()
                    .key(part.key())
                    .properties(part.properties())
                    .value(part.payload())
                    .sequenceId(nextSequenceId++);
            if (eventTime != 0) {
                out.eventTime(eventTime);
            }
            sends[i] = out.sendAsync();
        }
        CompletableFuture<?> sent = sends.length == 1 ? sends[0] : CompletableFuture.allOf(sends);
        sent.thenRun(() -> metrics.acknowledged(System.nanoTime() - sentAt));
        acknowledgements.track(checkpoint, sent);
        lastApplied = checkpoint;
        metrics.published(message);
    }

    /**
     * Waits until everything applied is acknowledged and reported, for a clean stop.
     *
     * @throws SinkFailedException when a send failed
     * @throws TimeoutException when messages are still unacknowledged after {@code timeout}
     */
    public void flush(Duration timeout) throws SinkFailedException, TimeoutException, InterruptedException {
        if (producer == null) {
            return;
        }
        producer.flushAsync();
        acknowledgements.awaitAll(settings.topic(), timeout);
    }

    /** How many applied messages were dropped as already in the topic. */
    public long droppedCount() {
        return dropped;
    }

    /** Closes the producer, waiting at most the setup timeout; unreported messages may be lost. */
    @Override
    public void close() {
        if (producer == null) {
            return;
        }
        try {
            producer.closeAsync().get(settings.setupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Closed producer {} of topic {} ({} messages dropped as already published)",
                    settings.producerName(), settings.topic(), dropped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Closing producer {} of topic {} failed; unacknowledged messages may be lost", settings.producerName(), settings.topic(), e);
        }
    }
}
