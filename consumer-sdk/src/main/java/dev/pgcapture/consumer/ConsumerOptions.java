package dev.pgcapture.consumer;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.grpc.BearerTokenCredentials;
import io.grpc.CallCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a {@link Consumer} reads its URI's stream. Only the URI is required:
 * {@code ConsumerOptions.builder("orders-search").build()}.
 *
 * <h2>What keeps the gateway's exact-mode guarantee</h2>
 * In {@link DeliveryMode#EXACT} mode the gateway delivers one consumer's changes in commit order
 * and retries a requeued change in place before anything after it. A consumer keeps that order
 * end to end when its handlers are <em>synchronous</em> ({@link Handlers.Builder#on}) and it does
 * not debounce: each change is handled after the one before it has been handled and
 * acknowledged. Two options trade that order for throughput, and say so:
 * <ul>
 *   <li><b>asynchronous handlers</b> ({@link Handlers.Builder#onAsync}) run concurrently: changes
 *       may finish out of order, and after a requeue the changes that followed it and were
 *       already started are handled again (at least once, not in order);
 *   <li><b>debounce</b> ({@link Builder#debounce}) holds an update back for the interval and
 *       hands only a key's latest version on: updates of other keys, and later changes, are
 *       handled before it. Per key, order holds (an insert or delete of a key first hands on
 *       the update held for it). The latest version is never lost: a held update is
 *       acknowledged only once handled, and the versions it replaced are acknowledged when it
 *       replaces them, so a requeue, a reconnect or a close brings the latest one again.
 * </ul>
 * In {@link DeliveryMode#SHARED} mode (pgcapture's) order holds only until a requeue, whatever
 * the options.
 */
public final class ConsumerOptions {

    private final String uri;
    private final DeliveryMode mode;
    private final Optional<String> tableRegex;
    private final OptionalInt maxAttempts;
    private final Duration debounce;
    private final DecodeErrorPolicy decodeErrorPolicy;
    private final DecodeErrorListener decodeErrorListener;
    private final Duration reconnectInitial;
    private final Duration reconnectMax;
    private final int prefetch;
    private final Duration closeTimeout;
    private final Clock clock;
    private final Optional<CallCredentials> callCredentials;

    private ConsumerOptions(Builder b) {
        this.uri = b.uri;
        this.mode = b.mode;
        this.tableRegex = b.tableRegex;
        this.maxAttempts = b.maxAttempts;
        this.debounce = b.debounce;
        this.decodeErrorPolicy = b.decodeErrorPolicy;
        this.decodeErrorListener = b.decodeErrorListener;
        this.reconnectInitial = b.reconnectInitial;
        this.reconnectMax = b.reconnectMax;
        this.prefetch = b.prefetch;
        this.closeTimeout = b.closeTimeout;
        this.clock = b.clock;
        this.callCredentials = b.callCredentials;
    }

    /**
     * A builder for the consumer of {@code uri}, the name the gateway's resolver maps to a
     * subscription and a replica.
     *
     * @throws IllegalArgumentException when {@code uri} is empty
     */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** The consumer URI. */
    public String uri() {
        return uri;
    }

    /** The delivery mode asked for. */
    public DeliveryMode mode() {
        return mode;
    }

    /** pgcapture's table filter, if set. */
    public Optional<String> tableRegex() {
        return tableRegex;
    }

    /** In exact mode, the attempts before a change goes to the dead-letter topic; empty for ever. */
    public OptionalInt maxAttempts() {
        return maxAttempts;
    }

    /** How long an update is held back to be replaced by a later one of its key; {@code ZERO} for no debounce. */
    public Duration debounce() {
        return debounce;
    }

    /** What happens to a change with a value that does not decode. */
    public DecodeErrorPolicy decodeErrorPolicy() {
        return decodeErrorPolicy;
    }

    /** Who hears of values that do not decode. */
    public DecodeErrorListener decodeErrorListener() {
        return decodeErrorListener;
    }

    /** The first wait before reconnecting after the gateway went away. */
    public Duration reconnectInitial() {
        return reconnectInitial;
    }

    /** The longest wait between reconnection attempts. */
    public Duration reconnectMax() {
        return reconnectMax;
    }

    /** How many messages the gateway may send ahead of the handlers (gRPC flow control). */
    public int prefetch() {
        return prefetch;
    }

    /** How long {@link Consumer#close()} waits for the gateway to take the last acknowledgements. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    Clock clock() {
        return clock;
    }

    /** The credentials sent with every call to the gateway (a bearer token), if set. */
    public Optional<CallCredentials> callCredentials() {
        return callCredentials;
    }

    /** Builds {@link ConsumerOptions}; every setter checks its argument and names it when wrong. */
    public static final class Builder {

        private final String uri;
        private DeliveryMode mode = DeliveryMode.EXACT;
        private Optional<String> tableRegex = Optional.empty();
        private OptionalInt maxAttempts = OptionalInt.empty();
        private Duration debounce = Duration.ZERO;
        private DecodeErrorPolicy decodeErrorPolicy = DecodeErrorPolicy.REQUEUE;
        private DecodeErrorListener decodeErrorListener = Consumer.LOG_DECODE_ERRORS;
        private Duration reconnectInitial = Duration.ofMillis(200);
        private Duration reconnectMax = Duration.ofSeconds(30);
        private int prefetch = 64;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private Optional<CallCredentials> callCredentials = Optional.empty();

        private Builder(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (uri.isBlank()) {
                throw new IllegalArgumentException("the consumer URI must not be empty");
            }
            this.uri = uri;
        }

        /**
         * The delivery mode: {@link DeliveryMode#EXACT} (the default: one consumer of the URI at a
         * time, in commit order, others wait as hot standbys) or {@link DeliveryMode#SHARED}
         * (pgcapture's: consumers share the URI's changes, order holds until a requeue).
         */
        public Builder mode(DeliveryMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Only tables whose bare name (no schema) contains a match of {@code regex} are
         * delivered, changes and dump rows alike; anchor it ({@code ^orders$}) to match whole names.
         *
         * @throws IllegalArgumentException when {@code regex} is not a valid regular expression
         */
        public Builder tableRegex(String regex) {
            Objects.requireNonNull(regex, "regex");
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid table regex \"" + regex + "\": " + e.getDescription()
                        + " near index " + e.getIndex());
            }
            this.tableRegex = regex.isEmpty() ? Optional.empty() : Optional.of(regex);
            return this;
        }

        /**
         * In exact mode, how many times a change may be requeued before the gateway moves it to
         * the URI's dead-letter topic and goes on; without it a failing change is retried for
         * ever and the consumer waits on it.
         *
         * @throws IllegalArgumentException when {@code attempts} is below 1
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
            }
            this.maxAttempts = OptionalInt.of(attempts);
            return this;
        }

        /**
         * Holds each update of a model that declares a key ({@link PgColumn#key()}) back for
         * {@code interval}, and hands on only the latest update of each key in it. Inserts,
         * deletes, truncates, dump rows and models without a key are never held. See
         * {@link ConsumerOptions} for what this does to ordering. {@code ZERO} (the default) turns it off.
         *
         * @throws IllegalArgumentException when {@code interval} is negative
         */
        public Builder debounce(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("debounce interval must not be negative, was " + interval);
            }
            this.debounce = interval;
            return this;
        }

        /** What to do with a change holding a value that does not decode: requeue it (the default) or skip it. */
        public Builder onDecodeError(DecodeErrorPolicy policy) {
            this.decodeErrorPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Who hears of values that do not decode; the default logs a warning. */
        public Builder decodeErrorListener(DecodeErrorListener listener) {
            this.decodeErrorListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The waits between reconnection attempts when the gateway goes away: {@code initial},
         * doubling up to {@code max}; back to {@code initial} once a stream delivered again.
         *
         * @throws IllegalArgumentException when {@code initial} is not positive or {@code max} is below it
         */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero()) {
                throw new IllegalArgumentException("the initial reconnect backoff must be positive, was " + initial);
            }
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("the maximum reconnect backoff " + max + " is below the initial " + initial);
            }
            this.reconnectInitial = initial;
            this.reconnectMax = max;
            return this;
        }

        /**
         * How many messages the gateway may send ahead of the handlers (64 by default); this also
         * bounds how many asynchronous handlers run at once.
         *
         * @throws IllegalArgumentException when {@code messages} is below 1
         */
        public Builder prefetch(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("prefetch must be at least 1, was " + messages);
            }
            this.prefetch = messages;
            return this;
        }

        /**
         * How long {@link Consumer#close()} waits for the gateway to take the last acknowledgements
         * before it cuts the stream (5 s by default); what is not acknowledged comes again.
         *
         * @throws IllegalArgumentException when {@code timeout} is negative
         */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Sends {@code authorization: Bearer <token>} with every call, for a gateway started with
         * {@code --auth-token-file}. The token goes only over TLS or to a loopback address: on any
         * other plaintext channel the consumer fails with UNAUTHENTICATED before sending it (use
         * {@link #callCredentials} with {@code BearerTokenCredentials.allowingPlaintext} to send it
         * anyway). The options never show the token.
         *
         * @throws IllegalArgumentException when the token is empty or holds a space or a non-ASCII character
         */
        public Builder bearerToken(String token) {
            Objects.requireNonNull(token, "token");
            this.callCredentials = Optional.of(BearerTokenCredentials.of(token));
            return this;
        }

        /** Sends these credentials with every call to the gateway (replacing a {@link #bearerToken}). */
        public Builder callCredentials(CallCredentials credentials) {
            this.callCredentials = Optional.of(Objects.requireNonNull(credentials, "credentials"));
            return this;
        }

        /** The clock of debounce intervals (for tests). */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException when {@code maxAttempts} is set in shared mode
         */
        public ConsumerOptions build() {
            if (maxAttempts.isPresent() && mode != DeliveryMode.EXACT) {
                throw new IllegalArgumentException("maxAttempts applies to exact mode only: in shared mode a requeue is"
                        + " redelivered by the subscription");
            }
            return new ConsumerOptions(this);
        }
    }
}
