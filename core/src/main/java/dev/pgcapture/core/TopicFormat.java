package dev.pgcapture.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.pgcapture.proto.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a capture stream is laid out in a Pulsar topic; pure, so that the capture agent, the
 * gateway and the replica applier share one definition.
 *
 * <p>Every {@link SourceMessage} becomes one Pulsar message whose key is its checkpoint,
 * {@code "<LSN as X/Y>|<seq in lower-case hex>"} ({@link Checkpoint#toString()}), and whose
 * payload is the serialized pgcapture {@code Message}, with no properties. A message whose
 * serialized size exceeds the limit is split into {@code count >= 2} <em>fragments</em>:
 * consecutive Pulsar messages with the same key, property {@value #FRAGMENT_PROPERTY} =
 * {@code "<index>/<count>"} (decimal, index from 0), and as payload the slices of the serialized
 * message in order, each at most the limit long. A reader concatenates them with an
 * {@link Assembler}.
 *
 * <p>A writer that crashes in the middle of a fragment sequence sends the whole message again
 * after its restart, starting at index 0; readers discard the cut-short sequence. The last
 * checkpoint a topic holds completely follows from its last Pulsar message alone
 * ({@link #lastComplete}).
 */
public final class TopicFormat {

    /** The property that marks a fragment: {@code "<index>/<count>"}. */
    public static final String FRAGMENT_PROPERTY = "pgcapture-fragment";

    /**
     * The default largest payload of one Pulsar message: 4 MiB, below the broker's default
     * {@code maxMessageSize} of 5 MiB with room for metadata and compression overhead.
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private static final Pattern FRAGMENT = Pattern.compile("(0|[1-9][0-9]{0,8})/([1-9][0-9]{0,8})");
    private static final Pattern KEY = Pattern.compile("([0-9A-F]{1,8}/[0-9A-F]{1,8})\\|([0-9a-f]{1,8})");

    private TopicFormat() {
    }

    /**
     * One Pulsar message to publish, in order.
     *
     * @param key the message key
     * @param properties the message properties, empty unless a fragment
     * @param payload the payload; owned by the receiver
     */
    public record Part(String key, Map<String, String> properties, byte[] payload) {

        public Part {
            Objects.requireNonNull(key, "key");
            properties = Map.copyOf(properties);
            Objects.requireNonNull(payload, "payload");
        }

        /** The fragment this part is, or empty for a whole message. */
        public Optional<Fragment> fragment() {
            return fragmentOf(key, properties);
        }
    }

    /**
     * The position of a fragment in its sequence.
     *
     * @param index from 0
     * @param count the number of fragments, at least 2
     */
    public record Fragment(int index, int count) {

        public Fragment {
            if (count < 2 || index < 0 || index >= count) {
                throw new IllegalArgumentException("invalid fragment " + index + "/" + count + ": expected 0 <= index < count and count >= 2");
            }
        }

        /** Whether this is the first fragment of its sequence. */
        public boolean isFirst() {
            return index == 0;
        }

        /** Whether this fragment completes its sequence. */
        public boolean isLast() {
            return index == count - 1;
        }

        /** {@code "<index>/<count>"}, the property value. */
        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    /** The key of the Pulsar message(s) holding {@code checkpoint}; its data is left out. */
    public static String key(Checkpoint checkpoint) {
        return checkpoint.toString();
    }

    /**
     * Parses a key written by {@link #key}: exactly {@code X/Y|seq}, LSN halves in upper-case
     * hex, seq in lower-case hex, no leading zeros beyond what {@link Checkpoint#toString()}
     * prints.
     *
     * @throws TopicFormatException naming the key
     */
    public static Checkpoint parseKey(String key) {
        if (key == null) {
            throw new TopicFormatException("a pgcapture message has no key; expected \"X/Y|seq\"");
        }
        Matcher matcher = KEY.matcher(key);
        if (matcher.matches()) {
            Checkpoint checkpoint = Checkpoint.of(Lsn.parse(matcher.group(1)), Integer.parseUnsignedInt(matcher.group(2), 16));
            if (checkpoint.toString().equals(key)) {
                return checkpoint;
            }
        }
        throw new TopicFormatException("invalid key \"" + key + "\": expected \"X/Y|seq\", an LSN in upper-case hex and a seq in lower-case hex without leading zeros");
    }

    /**
     * Turns one message into the Pulsar messages that carry it: one when its serialized size is
     * at most {@code maxMessageBytes}, else {@code ceil(size / maxMessageBytes)} fragments.
     */
    public static List<Part> split(SourceMessage message, int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1, was " + maxMessageBytes);
        }
        String key = key(message.checkpoint());
        byte[] serialized = message.message().toByteArray();
        if (serialized.length <= maxMessageBytes) {
            return List.of(new Part(key, Map.of(), serialized));
        }
        int count = (int) ((serialized.length + (long) maxMessageBytes - 1) / maxMessageBytes);
        List<Part> parts = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            int from = index * maxMessageBytes;
            int to = Math.min(serialized.length, from + maxMessageBytes);
            Fragment fragment = new Fragment(index, count);
            parts.add(new Part(key, Map.of(FRAGMENT_PROPERTY, fragment.toString()), Arrays.copyOfRange(serialized, from, to)));
        }
        return parts;
    }

    /**
     * The fragment a Pulsar message with these properties is, or empty for a whole message.
     *
     * @param key used in the error message only
     * @throws TopicFormatException when the property is malformed
     */
    public static Optional<Fragment> fragmentOf(String key, Map<String, String> properties) {
        String value = properties.get(FRAGMENT_PROPERTY);
        if (value == null) {
            return Optional.empty();
        }
        Matcher matcher = FRAGMENT.matcher(value);
        if (matcher.matches()) {
            int index = Integer.parseInt(matcher.group(1));
            int count = Integer.parseInt(matcher.group(2));
            if (count >= 2 && index < count) {
                return Optional.of(new Fragment(index, count));
            }
        }
        throw new TopicFormatException("invalid " + FRAGMENT_PROPERTY + " \"" + value + "\" on key \"" + key
                + "\": expected \"<index>/<count>\" in decimal with 0 <= index < count and count >= 2");
    }

    /**
     * The last checkpoint a topic holds completely, given its last Pulsar message: that
     * message's checkpoint, unless it is a fragment that does not complete its sequence (a
     * writer crashed in the middle); then everything before that checkpoint, which is
     * {@link #before} it.
     */
    public static Optional<Checkpoint> lastComplete(String key, Map<String, String> properties) {
        Checkpoint checkpoint = parseKey(key);
        Optional<Fragment> fragment = fragmentOf(key, properties);
        if (fragment.isPresent() && !fragment.get().isLast()) {
            return before(checkpoint);
        }
        return Optional.of(checkpoint);
    }

    /**
     * The greatest checkpoint strictly before {@code checkpoint} in {@link Checkpoint} order:
     * {@code (lsn, seq - 1)}, or {@code (lsn - 1, 0xffffffff)} when seq is 0; empty before
     * {@code 0/0|0}. Resuming after it resumes at {@code checkpoint} itself.
     */
    public static Optional<Checkpoint> before(Checkpoint checkpoint) {
        if (checkpoint.seq() != 0) {
            return Optional.of(Checkpoint.of(checkpoint.lsn(), checkpoint.seq() - 1));
        }
        if (checkpoint.lsn().isZero()) {
            return Optional.empty();
        }
        return Optional.of(Checkpoint.of(new Lsn(checkpoint.lsn().value() - 1), -1));
    }

    /**
     * Reads Pulsar messages back into {@link SourceMessage}s, one message at a time in topic
     * order, joining fragments. A sequence cut short (followed by a fragment with index 0 or by
     * a whole message) is discarded and counted; any other break in a sequence is an error,
     * since it means the topic is not read from a message boundary or was written by something
     * else. Not thread-safe.
     */
    public static final class Assembler {

        private String pendingKey;
        private Fragment expected;
        private ByteString pending = ByteString.EMPTY;
        private long discarded;

        /**
         * Takes the next Pulsar message of the topic.
         *
         * @return the message it completes, or empty while a fragment sequence is incomplete
         * @throws TopicFormatException when the message does not fit the format or the sequence
         */
        public Optional<SourceMessage> accept(String key, Map<String, String> properties, byte[] payload) {
            Checkpoint checkpoint = parseKey(key);
            Optional<Fragment> maybeFragment = fragmentOf(key, properties);
            if (maybeFragment.isEmpty()) {
                discardPending();
                return Optional.of(new SourceMessage(checkpoint, parse(key, ByteString.copyFrom(payload))));
            }
            Fragment fragment = maybeFragment.get();
            if (fragment.isFirst()) {
                discardPending();
                pendingKey = key;
            } else {
                checkContinues(key, fragment);
            }
            pending = pending.concat(ByteString.copyFrom(payload));
            if (!fragment.isLast()) {
                expected = new Fragment(fragment.index() + 1, fragment.count());
                return Optional.empty();
            }
            ByteString whole = pending;
            clear();
            return Optional.of(new SourceMessage(checkpoint, parse(key, whole)));
        }

        /** Whether a fragment sequence is started and not complete. */
        public boolean hasPartial() {
            return pendingKey != null;
        }

        /** How many cut-short fragment sequences were discarded so far. */
        public long discardedSequences() {
            return discarded;
        }

        private void checkContinues(String key, Fragment fragment) {
            if (pendingKey == null) {
                throw new TopicFormatException("fragment " + fragment + " of key \"" + key + "\" arrives without the fragments before it; a topic must be read from a message boundary");
            }
            if (!pendingKey.equals(key)) {
                throw new TopicFormatException("fragment " + fragment + " of key \"" + key + "\" arrives in the middle of the fragments of key \""
                        + pendingKey + "\", which expects fragment " + expected + " next");
            }
            if (!fragment.equals(expected)) {
                throw new TopicFormatException("fragment " + fragment + " of key \"" + key + "\" arrives out of order: expected fragment " + expected);
            }
        }

        private void discardPending() {
            if (pendingKey != null) {
                discarded++;
                clear();
            }
        }

        private void clear() {
            pendingKey = null;
            expected = null;
            pending = ByteString.EMPTY;
        }

        private static Message parse(String key, ByteString payload) {
            try {
                return Message.parseFrom(payload);
            } catch (InvalidProtocolBufferException e) {
                throw new TopicFormatException("the payload of key \"" + key + "\" (" + payload.size() + " bytes) is not a pgcapture Message: " + e.getMessage(), e);
            }
        }
    }
}
