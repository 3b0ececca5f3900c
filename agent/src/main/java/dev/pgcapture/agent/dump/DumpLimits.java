package dev.pgcapture.agent.dump;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of the {@code Agent} dump service.
 *
 * @param maxConcurrentDumps dumps (of any RPC) running at once; more are refused with
 *     RESOURCE_EXHAUSTED. Each holds one replica connection and one thread.
 * @param defaultWait how long a table dump waits for the replica to reach its {@code min_lsn}
 *     when the caller does not say
 * @param maxWait the longest wait a caller may ask for
 * @param pollInterval how often a waiting table dump reads the replica's applied position
 * @param cancelGrace how long the applier waits for a cancelled dump to end its transaction
 *     before its backend is terminated
 * @param maxUnaryBytes the largest {@code Dump} (unary) response; a larger chunk must be read
 *     with {@code StreamDump}
 */
public record DumpLimits(int maxConcurrentDumps, Duration defaultWait, Duration maxWait, Duration pollInterval,
        Duration cancelGrace, long maxUnaryBytes) {

    public DumpLimits {
        Objects.requireNonNull(defaultWait, "defaultWait");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(cancelGrace, "cancelGrace");
        if (maxConcurrentDumps < 1) {
            throw new IllegalArgumentException("maxConcurrentDumps must be at least 1, was " + maxConcurrentDumps);
        }
        if (defaultWait.isNegative() || maxWait.compareTo(defaultWait) < 0) {
            throw new IllegalArgumentException("the default wait (" + defaultWait + ") must be between 0 and the maximum wait (" + maxWait + ")");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
        }
        if (cancelGrace.isNegative() || cancelGrace.isZero()) {
            throw new IllegalArgumentException("cancelGrace must be positive, was " + cancelGrace);
        }
        if (maxUnaryBytes < 1) {
            throw new IllegalArgumentException("maxUnaryBytes must be positive, was " + maxUnaryBytes);
        }
    }

    /** 16 dumps, 30 s default wait (10 min at most), polled every 100 ms, 5 s grace, 64 MiB unary responses. */
    public static DumpLimits defaults() {
        return new DumpLimits(16, Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMillis(100),
                Duration.ofSeconds(5), 64L << 20);
    }
}
