package dev.pgcapture.agent.replica;

import java.time.Duration;
import java.util.Objects;

/**
 * How the replica applier batches: at most {@code batchSize} source transactions per replica
 * transaction, and a batch is committed at the latest {@code batchDelay} after its first source
 * transaction was applied, also when the topic goes quiet.
 *
 * @param batchSize source transactions per replica transaction, at least 1
 * @param batchDelay the longest a batch stays open, above zero
 */
public record ApplySettings(int batchSize, Duration batchDelay) {

    public static final int DEFAULT_BATCH_SIZE = 1000;
    public static final Duration DEFAULT_BATCH_DELAY = Duration.ofMillis(200);

    public ApplySettings {
        Objects.requireNonNull(batchDelay, "batchDelay");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 source transaction, was " + batchSize);
        }
        if (batchDelay.isNegative() || batchDelay.isZero()) {
            throw new IllegalArgumentException("batch delay must be above zero, was " + batchDelay);
        }
    }

    /** 1,000 source transactions or 200 ms, whichever comes first. */
    public static ApplySettings defaults() {
        return new ApplySettings(DEFAULT_BATCH_SIZE, DEFAULT_BATCH_DELAY);
    }

    public ApplySettings withBatchSize(int size) {
        return new ApplySettings(size, batchDelay);
    }

    public ApplySettings withBatchDelay(Duration delay) {
        return new ApplySettings(batchSize, delay);
    }
}
