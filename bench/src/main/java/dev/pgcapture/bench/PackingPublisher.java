package dev.pgcapture.bench;

import dev.pgcapture.agent.pulsar.Acknowledgements;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.admin.PulsarAdminException;
import org.apache.pulsar.client.api.CompressionType;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.ProducerAccessMode;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Prototype of the alternative framing (benchmark only): several pgcapture Messages packed into
 * one Pulsar message, each preceded by its length as a varint (protobuf's delimited form), up
 * to {@code packBytes}; Pulsar batching off and Pulsar chunking on (4 MiB chunks), so a pack
 * larger than that (one big change) travels in chunks. A pack is keyed by its first
 * message's checkpoint, carries its message count in property {@value #PACK_PROPERTY}, and is
 * acknowledged as a unit. Everything else is as in the agent's sink: LZ4, exclusive access,
 * deduplication on the topic, explicit sequence ids, no send timeout, the same queue size.
 *
 * <p>A pack is sent when the next message would overflow it, or on {@link #flush} (a live
 * agent would also send it when the source has nothing more to read).
 */
final class PackingPublisher implements FramedPublisher {

    static final String PACK_PROPERTY = "pgcapture-pack";

    private final PulsarClient client;
    private final PulsarAdmin admin;
    private final String topic;
    private final String producerName;
    private final int packBytes;
    private final int maxPendingMessages;
    private final ByteArrayOutputStream pack;
    private Producer<byte[]> producer;
    private Acknowledgements acks;
    private long nextSequenceId;
    private String firstKey;
    private Checkpoint lastCheckpoint;
    private int count;

    PackingPublisher(PulsarClient client, PulsarAdmin admin, String topic, String producerName, int packBytes, int maxPendingMessages) {
        this.client = client;
        this.admin = admin;
        this.topic = topic;
        this.producerName = producerName;
        this.packBytes = packBytes;
        this.maxPendingMessages = maxPendingMessages;
        this.pack = new ByteArrayOutputStream(packBytes + 1024);
    }

    @Override
    public void open(Consumer<Checkpoint> committed) throws Exception {
        prepareTopic();
        producer = client.newProducer(Schema.BYTES)
                .topic(topic)
                .producerName(producerName)
                .accessMode(ProducerAccessMode.Exclusive)
                .sendTimeout(0, TimeUnit.SECONDS)
                .blockIfQueueFull(true)
                .maxPendingMessages(maxPendingMessages)
                .enableBatching(false)
                .enableChunking(true)
                // Chunks of 4 MiB, like the agent's fragments. The default (the broker's 5 MiB
                // maxMessageSize) makes entries a little over the bookie's default 5 MiB frame
                // limit, and the in-process bookie then drops the connection on every retry.
                .chunkMaxMessageSize(TopicFormat.DEFAULT_MAX_MESSAGE_BYTES)
                .compressionType(CompressionType.LZ4)
                .create();
        nextSequenceId = producer.getLastSequenceId() + 1;
        acks = new Acknowledgements(committed);
    }

    private void prepareTopic() throws PulsarAdminException, InterruptedException {
        try {
            admin.topics().createNonPartitionedTopic(topic);
        } catch (PulsarAdminException.ConflictException exists) {
            // Already there: the policies below are idempotent.
        }
        admin.topicPolicies().setDeduplicationStatus(topic, true);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"Enabled".equals(admin.topics().getStats(topic).getDeduplicationStatus())) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("deduplication of topic " + topic + " was not in force after 30 s");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void publish(SourceMessage message) {
        int size = message.message().getSerializedSize();
        int framed = com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        if (count > 0 && pack.size() + framed > packBytes) {
            sendPack();
        }
        if (count == 0) {
            firstKey = TopicFormat.key(message.checkpoint());
        }
        try {
            message.message().writeDelimitedTo(pack);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // never: the stream is in memory
        }
        lastCheckpoint = message.checkpoint();
        count++;
        if (pack.size() >= packBytes) {
            sendPack();
        }
    }

    private void sendPack() {
        acks.track(lastCheckpoint, producer.newMessage()
                .key(firstKey)
                .property(PACK_PROPERTY, Integer.toString(count))
                .value(pack.toByteArray())
                .sequenceId(nextSequenceId++)
                .sendAsync());
        pack.reset();
        count = 0;
    }

    @Override
    public void flush(Duration timeout) throws Exception {
        if (count > 0) {
            sendPack();
        }
        producer.flushAsync();
        acks.awaitAll(topic, timeout);
    }

    @Override
    public void close() {
        if (producer != null) {
            try {
                producer.closeAsync().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("closing the producer of " + topic + " failed", e);
            }
        }
    }
}
