package dev.pgcapture.agent.pulsar;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

/**
 * Reads a topic written in {@link TopicFormat} from its beginning, as {@link SourceMessage}s in
 * topic order, fragments joined and sequences cut short by a crash left out. Each message's
 * checkpoint carries the Pulsar message id of its last Pulsar message as data. Holds no
 * subscription. One thread reads.
 */
public final class TopicReader implements AutoCloseable {

    private final Reader<byte[]> reader;
    private final TopicFormat.Assembler assembler = new TopicFormat.Assembler();

    private TopicReader(Reader<byte[]> reader) {
        this.reader = reader;
    }

    /** Opens a reader at the first message of {@code topic}. */
    public static TopicReader fromEarliest(PulsarClient client, String topic) throws IOException {
        Objects.requireNonNull(topic, "topic");
        return new TopicReader(client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest).create());
    }

    /**
     * Opens a reader at the Pulsar message {@code start} of {@code topic}, that message included.
     * {@code start} must be the first (or only) Pulsar message of a pgcapture message.
     */
    public static TopicReader fromMessage(PulsarClient client, String topic, MessageId start) throws IOException {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(start, "start");
        return new TopicReader(client.newReader(Schema.BYTES).topic(topic).startMessageId(start).startMessageIdInclusive().create());
    }

    /** Whether the reader is connected to the broker now. */
    public boolean isConnected() {
        return reader.isConnected();
    }

    /**
     * The next message, waiting at most {@code timeout} for each Pulsar message; {@code null}
     * when none arrived in time.
     *
     * @throws dev.pgcapture.core.TopicFormatException when the topic does not follow the format
     */
    public SourceMessage next(Duration timeout) throws IOException {
        while (true) {
            Message<byte[]> message = reader.readNext((int) timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                return null;
            }
            Optional<SourceMessage> complete = assemble(message);
            if (complete.isPresent()) {
                return complete.get();
            }
        }
    }

    /**
     * The next message among those the topic holds now, or empty at its current end (a fragment
     * sequence still incomplete there is read, not returned).
     */
    public Optional<SourceMessage> nextAvailable(Duration timeout) throws IOException {
        while (reader.hasMessageAvailable()) {
            Message<byte[]> message = reader.readNext((int) timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new PulsarClientException.TimeoutException("a message is available but none arrived within " + timeout);
            }
            Optional<SourceMessage> complete = assemble(message);
            if (complete.isPresent()) {
                return complete;
            }
        }
        return Optional.empty();
    }

    private Optional<SourceMessage> assemble(Message<byte[]> message) {
        return assembler.accept(message.getKey(), message.getProperties(), message.getValue())
                .map(whole -> new SourceMessage(whole.checkpoint().withData(ByteString.copyFrom(message.getMessageId().toByteArray())), whole.message()));
    }

    /** How many fragment sequences cut short were left out so far. */
    public long discardedSequences() {
        return assembler.discardedSequences();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
