package dev.pgcapture.agent.pulsar;

import dev.pgcapture.core.Meters;
import dev.pgcapture.core.PostgresTime;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.Message;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the capture agent reports about publishing, tagged {@code slot} and {@code topic}:
 * <ul>
 *   <li>{@code pgcapture_capture_rows_total}, {@code pgcapture_capture_transactions_total}:
 *       changes and transactions handed to the producer (copies the topic already held, dropped
 *       after a restart, are not counted);</li>
 *   <li>{@code pgcapture_capture_lag_seconds}: how long after its commit at the source the last
 *       transaction was handed to the producer; {@code pgcapture_capture_last_commit_timestamp_seconds}:
 *       that commit's time, Unix seconds (NaN for both before the first);</li>
 *   <li>{@code pgcapture_pulsar_publish_seconds}: from a message's send to the broker's
 *       acknowledgement (batching delay included), as a histogram.</li>
 * </ul>
 * Thread-safe: the sink's thread counts, Pulsar's threads record acknowledgements.
 */
public final class PublishMetrics {

    private final Clock clock;
    private final Counter rows;
    private final Counter transactions;
    private final Timer publish;
    private final AtomicLong lagMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastCommitMillis = new AtomicLong(Long.MIN_VALUE);

    private PublishMetrics(MeterRegistry registry, String slot, String topic, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Tags tags = Tags.of("slot", slot, "topic", topic);
        rows = Counter.builder("pgcapture.capture.rows").tags(tags)
                .description("Changes (rows) captured and handed to the Pulsar producer").register(registry);
        transactions = Counter.builder("pgcapture.capture.transactions").tags(tags)
                .description("Source transactions captured and handed to the Pulsar producer").register(registry);
        Meters.release(registry, "pgcapture.capture.lag", tags);
        Meters.release(registry, "pgcapture.capture.last.commit.timestamp", tags);
        Gauge.builder("pgcapture.capture.lag", lagMillis, PublishMetrics::seconds).tags(tags).baseUnit("seconds")
                .description("Seconds between the last captured transaction's commit at the source and its hand-over to the producer")
                .register(registry);
        Gauge.builder("pgcapture.capture.last.commit.timestamp", lastCommitMillis, PublishMetrics::seconds).tags(tags)
                .baseUnit("seconds").description("Source commit time of the last captured transaction, Unix seconds")
                .register(registry);
        publish = Timer.builder("pgcapture.pulsar.publish").tags(Tags.of("topic", topic))
                .description("Time from sending a message to Pulsar to the broker's acknowledgement")
                .serviceLevelObjectives(SLOS).register(registry);
    }

    private static final Duration[] SLOS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    /** Metrics of capturing slot {@code slot} into {@code topic}, registered in {@code registry}. */
    public static PublishMetrics register(MeterRegistry registry, String slot, String topic, Clock clock) {
        return new PublishMetrics(Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(slot, "slot"),
                Objects.requireNonNull(topic, "topic"), clock);
    }

    /** Metrics that go nowhere. */
    public static PublishMetrics none() {
        return new PublishMetrics(new CompositeMeterRegistry(), "", "", Clock.systemUTC());
    }

    /** Counts a message handed to the producer. */
    void published(SourceMessage message) {
        Message m = message.message();
        if (m.hasChange()) {
            rows.increment();
        } else if (m.hasCommit()) {
            transactions.increment();
            Instant commit = PostgresTime.toInstant(m.getCommit().getCommitTime());
            lastCommitMillis.set(commit.toEpochMilli());
            lagMillis.set(Math.max(0, Duration.between(commit, clock.instant()).toMillis()));
        }
    }

    /** Records a send acknowledged {@code nanos} after it started. */
    void acknowledged(long nanos) {
        publish.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static double seconds(AtomicLong millis) {
        long value = millis.get();
        return value == Long.MIN_VALUE ? Double.NaN : value / 1000.0;
    }
}
