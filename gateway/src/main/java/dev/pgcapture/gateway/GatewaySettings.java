package dev.pgcapture.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway paces each {@code Capture} stream; every value is checked at construction,
 * with a message naming the value and why it is wrong.
 *
 * @param windowMessages the most messages (changes and dump rows) delivered to one stream and
 *     not yet acknowledged; a full window stops that stream's source reads and dump pulls. In
 *     exact mode the window is also the replay buffer a requeue rewinds into
 * @param windowBytes the most bytes (serialized {@code CaptureMessage}s) delivered to one stream
 *     and not yet acknowledged; one message larger than this still goes out on an empty window
 * @param maxPendingCommits in exact mode, the most source positions read but not yet released
 *     to the source (released in stream order, so a position waits behind an unacknowledged
 *     change before it); more stops the stream's source reads
 * @param retryBackoffMin the wait before an exact-mode requeue is first delivered again; it
 *     doubles with each attempt of the same message
 * @param retryBackoffMax the longest wait before a requeued message is delivered again
 * @param dumpPullBackoffMin the wait before a failed controller stream ({@code PullDumpInfo}) is
 *     opened again; it doubles with each failure in a row
 * @param dumpPullBackoffMax the longest wait before a controller stream is opened again
 * @param sourcePoll the longest one source read waits for a message before the stream looks at
 *     acknowledgements and dumps again
 * @param catchUpQuiet exact-mode table dumps: how long the source must have nothing more to
 *     deliver before the changes up to the snapshot count as delivered, when no later change has
 *     shown it (the topic's head can be behind what the subscription already acknowledged)
 * @param closeTimeout how long {@link GatewayService#close} waits for its streams to end
 */
public record GatewaySettings(
        int windowMessages,
        long windowBytes,
        int maxPendingCommits,
        Duration retryBackoffMin,
        Duration retryBackoffMax,
        Duration dumpPullBackoffMin,
        Duration dumpPullBackoffMax,
        Duration sourcePoll,
        Duration catchUpQuiet,
        Duration closeTimeout) {

    public GatewaySettings {
        Objects.requireNonNull(retryBackoffMin, "retryBackoffMin");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
        Objects.requireNonNull(dumpPullBackoffMin, "dumpPullBackoffMin");
        Objects.requireNonNull(dumpPullBackoffMax, "dumpPullBackoffMax");
        Objects.requireNonNull(sourcePoll, "sourcePoll");
        Objects.requireNonNull(catchUpQuiet, "catchUpQuiet");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (windowMessages < 1) {
            throw new IllegalArgumentException("windowMessages must be at least 1, was " + windowMessages);
        }
        if (windowBytes < 1) {
            throw new IllegalArgumentException("windowBytes must be at least 1, was " + windowBytes);
        }
        if (maxPendingCommits < 1) {
            throw new IllegalArgumentException("maxPendingCommits must be at least 1, was " + maxPendingCommits);
        }
        positive("retryBackoffMin", retryBackoffMin);
        positive("retryBackoffMax", retryBackoffMax);
        positive("dumpPullBackoffMin", dumpPullBackoffMin);
        positive("dumpPullBackoffMax", dumpPullBackoffMax);
        positive("sourcePoll", sourcePoll);
        positive("catchUpQuiet", catchUpQuiet);
        positive("closeTimeout", closeTimeout);
        ordered("retryBackoff", retryBackoffMin, retryBackoffMax);
        ordered("dumpPullBackoff", dumpPullBackoffMin, dumpPullBackoffMax);
    }

    /**
     * 1,000 messages or 16 MiB in flight per stream, 65,536 pending commits, retries after 100 ms
     * doubling to 30 s, controller reconnects after 1 s doubling to 30 s, 100 ms source polls,
     * 1 s of quiet to end a table dump's catch-up, 10 s to close.
     */
    public static GatewaySettings defaults() {
        return new GatewaySettings(1000, 16L * 1024 * 1024, 65_536,
                Duration.ofMillis(100), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /** These settings with another window. */
    public GatewaySettings withWindow(int messages, long bytes) {
        return new GatewaySettings(messages, bytes, maxPendingCommits, retryBackoffMin, retryBackoffMax,
                dumpPullBackoffMin, dumpPullBackoffMax, sourcePoll, catchUpQuiet, closeTimeout);
    }

    /** These settings with other in-place retry waits. */
    public GatewaySettings withRetryBackoff(Duration min, Duration max) {
        return new GatewaySettings(windowMessages, windowBytes, maxPendingCommits, min, max,
                dumpPullBackoffMin, dumpPullBackoffMax, sourcePoll, catchUpQuiet, closeTimeout);
    }

    /** These settings with other controller reconnect waits. */
    public GatewaySettings withDumpPullBackoff(Duration min, Duration max) {
        return new GatewaySettings(windowMessages, windowBytes, maxPendingCommits, retryBackoffMin, retryBackoffMax,
                min, max, sourcePoll, catchUpQuiet, closeTimeout);
    }

    /** These settings with another source poll. */
    public GatewaySettings withSourcePoll(Duration poll) {
        return new GatewaySettings(windowMessages, windowBytes, maxPendingCommits, retryBackoffMin, retryBackoffMax,
                dumpPullBackoffMin, dumpPullBackoffMax, poll, catchUpQuiet, closeTimeout);
    }

    /** These settings with another catch-up quiet time. */
    public GatewaySettings withCatchUpQuiet(Duration quiet) {
        return new GatewaySettings(windowMessages, windowBytes, maxPendingCommits, retryBackoffMin, retryBackoffMax,
                dumpPullBackoffMin, dumpPullBackoffMax, sourcePoll, quiet, closeTimeout);
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void ordered(String name, Duration min, Duration max) {
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException(
                    name + "Max (" + max + ") must not be less than " + name + "Min (" + min + ")");
        }
    }
}
