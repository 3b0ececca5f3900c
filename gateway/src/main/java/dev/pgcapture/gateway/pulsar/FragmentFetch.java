package dev.pgcapture.gateway.pulsar;

import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import dev.pgcapture.core.TopicFormatException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.impl.ReaderImpl;

/**
 * Reads the fragments of one fragmented message from the topic, starting at its first fragment,
 * which the subscription delivered. A subscription cannot be trusted to deliver the other
 * fragments to the same consumer, in order, or at all (a Shared subscription spreads them over
 * its consumers; a shared-mode consumer acknowledged them before the subscription became a
 * Failover one), so they are read with a Reader, which sees the topic as it was written. Only the
 * reading thread calls {@link #poll}.
 */
final class FragmentFetch implements AutoCloseable {

    /** Where a fetch stands after {@link #poll}. */
    enum State {
        /** The message is not complete yet: the deadline passed first. */
        PENDING,
        /** The writer crashed in the middle of the sequence and sent the message again later. */
        CUT_SHORT,
        /** {@link #message()} holds the whole message. */
        COMPLETE
    }

    private final String topic;
    private final String key;
    private final MessageId first;
    private final long eventTime;
    private final CompletableFuture<Reader<byte[]>> reader;
    private final TopicFormat.Assembler assembler = new TopicFormat.Assembler();
    private boolean started;
    private int parts;
    private volatile long heldBytes;
    private SourceMessage message;
    private MessageId last;

    /** Starts reading the fragments of the message whose first fragment is {@code firstFragment}. */
    FragmentFetch(PulsarClient client, String topic, Message<byte[]> firstFragment) {
        this.topic = topic;
        this.key = firstFragment.getKey();
        this.first = firstFragment.getMessageId();
        this.eventTime = firstFragment.getEventTime();
        // Two messages of prefetch: fragments are up to the writer's limit each (4 MiB by default).
        this.reader = client.newReader(Schema.BYTES)
                .topic(topic)
                .startMessageId(first)
                .startMessageIdInclusive()
                .receiverQueueSize(2)
                .createAsync();
    }

    /** The id of the first fragment, which the subscription delivered. */
    MessageId first() {
        return first;
    }

    /** The first fragment's event time (every fragment carries its message's), 0 when it has none. */
    long eventTime() {
        return eventTime;
    }

    /** The key all fragments carry. */
    String key() {
        return key;
    }

    /**
     * Reads fragments until the message is complete or cut short, or until {@code deadlineNanos}
     * ({@link System#nanoTime()}); may be called again after {@link State#PENDING}.
     *
     * @throws TopicFormatException when the fragments do not follow the format
     */
    State poll(long deadlineNanos) throws IOException, InterruptedException {
        Reader<byte[]> open;
        try {
            open = reader.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return State.PENDING;
        } catch (ExecutionException e) {
            throw new IOException("cannot open a reader on topic " + topic + " at message " + first + " to read the fragments of key \""
                    + key + "\": " + e.getCause().getMessage(), e.getCause());
        }
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            Message<byte[]> next = open.readNext((int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)), TimeUnit.MILLISECONDS);
            if (next == null) {
                return State.PENDING;
            }
            if (!started && next.getMessageId().compareTo(first) < 0) {
                continue;
            }
            Optional<TopicFormat.Fragment> fragment = TopicFormat.fragmentOf(next.getKey(), next.getProperties());
            if (!started) {
                if (!next.getMessageId().equals(first) || !key.equals(next.getKey()) || fragment.isEmpty() || !fragment.get().isFirst()) {
                    throw new TopicFormatException("reading topic " + topic + " from message " + first + " (first fragment of key \"" + key
                            + "\") returned message " + next.getMessageId() + " with key \"" + next.getKey() + "\" and "
                            + TopicFormat.FRAGMENT_PROPERTY + " " + next.getProperty(TopicFormat.FRAGMENT_PROPERTY));
                }
                started = true;
                parts = fragment.get().count();
            } else if (fragment.isEmpty() || fragment.get().isFirst()) {
                return State.CUT_SHORT;
            }
            Optional<SourceMessage> whole = assembler.accept(next.getKey(), next.getProperties(), next.getValue());
            if (whole.isPresent()) {
                message = whole.get();
                last = next.getMessageId();
                heldBytes = 0;
                return State.COMPLETE;
            }
            heldBytes += next.getValue().length;
        }
    }

    /** The whole message, once {@link State#COMPLETE}; its checkpoint has no data. */
    SourceMessage message() {
        return message;
    }

    /** How many fragments the message has, once {@link State#COMPLETE}. */
    int parts() {
        return parts;
    }

    /** The id of the last fragment, once {@link State#COMPLETE}. */
    MessageId last() {
        return last;
    }

    /** Bytes this fetch holds: fragments joined so far and the reader's prefetch. */
    long heldBytes() {
        long prefetched = 0;
        if (reader.isDone() && !reader.isCompletedExceptionally() && reader.getNow(null) instanceof ReaderImpl<byte[]> impl) {
            prefetched = impl.getConsumer().getIncomingMessageSize();
        }
        return heldBytes + prefetched;
    }

    @Override
    public void close() {
        reader.thenAccept(Reader::closeAsync);
    }
}
