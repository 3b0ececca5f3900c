package dev.pgcapture.agent.replica;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the replica applier reports, tagged {@code topic} and {@code replica} (the replica's URL
 * without its password), counted when a replica transaction commits — what is counted is durable
 * in the replica:
 * <ul>
 *   <li>{@code pgcapture_replica_rows_total}, {@code pgcapture_replica_transactions_total}:
 *       source changes and source transactions applied;</li>
 *   <li>{@code pgcapture_replica_apply_lag_seconds}: at the last replica commit, how long after its
 *       commit at the source the newest source transaction in it became durable in the replica
 *       (NaN before the first);</li>
 *   <li>{@code pgcapture_replica_applied_lsn}: the source commit LSN of that transaction, as a number.</li>
 * </ul>
 */
public final class ReplicaMetrics {

    private final Clock clock;
    private final Counter rows;
    private final Counter transactions;
    private final AtomicLong lagMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong appliedLsn = new AtomicLong();

    private ReplicaMetrics(MeterRegistry registry, Tags tags, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        rows = Counter.builder("pgcapture.replica.rows").tags(tags)
                .description("Source changes (rows) applied to the replica, counted at the replica's commit").register(registry);
        transactions = Counter.builder("pgcapture.replica.transactions").tags(tags)
                .description("Source transactions applied to the replica, counted at the replica's commit").register(registry);
        Meters.release(registry, "pgcapture.replica.apply.lag", tags);
        Meters.release(registry, "pgcapture.replica.applied.lsn", tags);
        Gauge.builder("pgcapture.replica.apply.lag", lagMillis,
                        millis -> millis.get() == Long.MIN_VALUE ? Double.NaN : millis.get() / 1000.0)
                .tags(tags).baseUnit("seconds")
                .description("Seconds from the source commit of the last applied transaction to its commit in the replica")
                .register(registry);
        Gauge.builder("pgcapture.replica.applied.lsn", appliedLsn, lsn -> unsigned(lsn.get())).tags(tags)
                .description("Source commit LSN of the last transaction applied to the replica, as a number")
                .register(registry);
    }

    /** Metrics of applying {@code topic} to {@code replica}, registered in {@code registry}. */
    public static ReplicaMetrics register(MeterRegistry registry, String topic, String replica, Clock clock) {
        return new ReplicaMetrics(Objects.requireNonNull(registry, "registry"),
                Tags.of("topic", Objects.requireNonNull(topic, "topic"), "replica", Objects.requireNonNull(replica, "replica")), clock);
    }

    /** Metrics that go nowhere. */
    public static ReplicaMetrics none() {
        return new ReplicaMetrics(new CompositeMeterRegistry(), Tags.empty(), Clock.systemUTC());
    }

    /** A replica transaction committed {@code sourceRows} changes of {@code sourceTransactions}, the last committed at {@code lastCommitTime}. */
    void committed(long sourceRows, int sourceTransactions, Lsn lastCommitLsn, Instant lastCommitTime) {
        rows.increment(sourceRows);
        transactions.increment(sourceTransactions);
        appliedLsn.set(lastCommitLsn.value());
        lagMillis.set(Math.max(0, Duration.between(lastCommitTime, clock.instant()).toMillis()));
    }

    private static double unsigned(long value) {
        return value >= 0 ? value : (double) (value >>> 1) * 2.0 + (value & 1);
    }
}
