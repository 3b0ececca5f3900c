package dev.pgcapture.bench;

import dev.pgcapture.consumer.Consumer;
import dev.pgcapture.consumer.ConsumerOptions;
import dev.pgcapture.consumer.Handlers;
import dev.pgcapture.consumer.PgCapture;
import dev.pgcapture.consumer.PgColumn;
import dev.pgcapture.consumer.PgTable;
import dev.pgcapture.embedded.LocalPulsar;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario {@code latency}: from a source transaction's commit to the consumer SDK's handler, at
 * a fixed rate of single-row transactions, through the whole system ({@link SdkStack}).
 *
 * <p>A load generator on one connection inserts one row per transaction (autocommit) on a fixed
 * schedule (open loop: the i-th transaction is due at {@code start + i / rate}; when it falls
 * behind, it sends at once, so the achieved rate is what one connection managed). The row's key
 * is its sequence number; the generator notes {@link System#nanoTime()} when the INSERT's
 * autocommit returned, and the handler (exact mode, synchronous, acknowledging on return) notes
 * it on entry: the latency is the difference, both read in this JVM. As a cross-check the handler
 * also computes its wall-clock time minus the source's commit timestamp the change carries
 * (millisecond precision). A warm-up at the first rate comes first; after each rate the handler
 * must have seen every row before the next rate starts. With {@link Options#nativePeer}, native
 * logical replication ({@link NativePeer}) applies the same load to a second replica at the same
 * time, as a reference.
 */
final class LatencyScenario {

    private static final Logger log = LoggerFactory.getLogger(LatencyScenario.class);
    private static final String TABLE = "bench_latency";
    private static final String URI = "bench-latency";
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    /**
     * @param rates transactions per second, each measured in turn
     * @param seconds how long each rate is measured
     * @param warmupSeconds the untimed warm-up at the first rate
     * @param nativePeer whether native logical replication applies the same load to a replica at the same time, as reference
     * @param runs measured runs of every rate
     * @param timeout the longest the consumer may take to catch up after a rate's load
     */
    record Options(List<Integer> rates, int seconds, int warmupSeconds, boolean nativePeer, int runs, Duration timeout) {

        Options {
            if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 1 || r > 1_000_000)) {
                throw new IllegalArgumentException("--latency-rates must be one or more rates from 1 to 1000000 per second, was " + rates);
            }
            rates = List.copyOf(rates);
            if (seconds < 1) {
                throw new IllegalArgumentException("--latency-seconds must be at least 1, was " + seconds);
            }
            if (warmupSeconds < 0) {
                throw new IllegalArgumentException("--latency-warmup-seconds must not be negative, was " + warmupSeconds);
            }
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
            }
        }
    }

    /**
     * One rate measured once; latencies in milliseconds.
     *
     * @param achievedRate transactions per second the generator managed (count / time from the first send to the last commit)
     * @param p50Ms median latency from the client's COMMIT returning to the handler
     * @param catchUpMs after the last commit returned, until the handler had every row
     * @param byCommitTimeP50Ms p50 of the handler's wall clock minus the source's commit timestamp
     * @param nativeLatency the native peer's latencies (NaN without it)
     */
    record Run(int rate, long transactions, double achievedRate, double p50Ms, double p99Ms, double maxMs, double catchUpMs,
               double byCommitTimeP50Ms, double byCommitTimeP99Ms, NativeLatency nativeLatency) {
    }

    /** Native logical replication's apply latency: the replica's {@code clock_timestamp()} at insert − the client's wall clock at COMMIT return. */
    record NativeLatency(double p50Ms, double p99Ms, double maxMs, double catchUpMs) {

        static final NativeLatency NONE = new NativeLatency(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Every run, grouped by rate in the order of {@link Options#rates}. */
    record Result(Options options, List<List<Run>> byRate) {
    }

    @PgTable(name = TABLE)
    record LatencyRow(@PgColumn(value = "id", key = true) long id, @PgColumn("n") int n, @PgColumn("payload") String payload) {
    }

    private final BenchDatabases databases;
    private final LocalPulsar pulsar;
    private final PulsarAdmin admin;
    private final Options options;
    private AtomicLongArray committed;
    private AtomicLongArray committedWallMicros;
    private NativePeer nativePeer;
    private AtomicLongArray handled;
    private AtomicLongArray byCommitTimeMicros;
    private final AtomicLong handledCount = new AtomicLong();
    private long nextId;

    LatencyScenario(BenchDatabases databases, LocalPulsar pulsar, PulsarAdmin admin, Options options) {
        this.databases = databases;
        this.pulsar = pulsar;
        this.admin = admin;
        this.options = options;
    }

    Result run() throws Exception {
        long total = (long) options.rates().getFirst() * options.warmupSeconds();
        for (int rate : options.rates()) {
            total += (long) rate * options.seconds() * options.runs();
        }
        if (total > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("latency: " + total + " transactions in all is too many; lower --latency-seconds or --runs");
        }
        committed = new AtomicLongArray((int) total + 1);
        committedWallMicros = new AtomicLongArray((int) total + 1);
        handled = new AtomicLongArray((int) total + 1);
        byCommitTimeMicros = new AtomicLongArray((int) total + 1);
        nextId = 1;
        String label = "lat" + System.currentTimeMillis();
        SdkStack.Names names = new SdkStack.Names("bench_" + label + "_src", "bench_" + label + "_replica", "bench_" + label + "_store",
                "pgcapture_" + label, "persistent://public/default/bench-" + label, List.of(URI));
        BenchSetup setup = new BenchSetup(databases, admin, names);
        try (setup) {
            setup.createDatabases("CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, n int NOT NULL, payload text, at timestamptz)");
            nativePeer = options.nativePeer() ? new NativePeer(databases, names.source(), "bench_" + label + "_native", TABLE,
                    "native_" + label) : null;
            try (NativePeer closeNative = nativePeer;
                 SdkStack stack = SdkStack.start(databases, pulsar, names);
                 Consumer consumer = PgCapture.newConsumer(stack.gateway(), ConsumerOptions.builder(URI).build());
                 Connection source = databases.connect(names.source())) {
                AtomicReference<Throwable> ended = new AtomicReference<>();
                Thread consuming = Thread.ofPlatform().name("bench-latency-consumer").start(() -> {
                    try {
                        consumer.consume(Handlers.of(LatencyRow.class, change -> {
                            long now = System.nanoTime();
                            long id = change.newRow().id();
                            handled.set((int) id, now);
                            if (change.commitTime() != null) {
                                byCommitTimeMicros.set((int) id, ChronoUnit.MICROS.between(change.commitTime(), Instant.now()));
                            }
                            handledCount.incrementAndGet();
                        }));
                    } catch (Throwable e) {
                        ended.set(e);
                    }
                });
                setup.awaitSubscription(URI + "-subscription", options.timeout());
                if (nativePeer != null) {
                    nativePeer.start("(id bigint PRIMARY KEY, n int NOT NULL, payload text, at timestamptz)");
                }
                // PostgreSQL's default: COMMIT returns once its WAL is flushed, and the walsenders are woken then. With the
                // embedded server's synchronous_commit=off, WAL would reach them only when the WAL writer flushes (every 200 ms).
                BenchDatabases.execute(source, "SET synchronous_commit = on");
                try (PreparedStatement insert = source.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?, md5(?::text), now())")) {
                    if (options.warmupSeconds() > 0) {
                        int rate = options.rates().getFirst();
                        log.info("latency: warm-up at {}/s for {} s (untimed)", rate, options.warmupSeconds());
                        phase(insert, rate, options.warmupSeconds(), stack, ended);
                    }
                    List<List<Run>> byRate = new ArrayList<>();
                    options.rates().forEach(r -> byRate.add(new ArrayList<>()));
                    for (int run = 1; run <= options.runs(); run++) {
                        for (int i = 0; i < options.rates().size(); i++) {
                            int rate = options.rates().get(i);
                            Run measured = phase(insert, rate, options.seconds(), stack, ended);
                            log.info("latency run {} at {}/s: achieved {}/s, p50 {} ms, p99 {} ms, max {} ms (by commit timestamp: p50 {} ms)", run,
                                    rate, Math.round(measured.achievedRate()), measured.p50Ms(), measured.p99Ms(), measured.maxMs(),
                                    measured.byCommitTimeP50Ms());
                            byRate.get(i).add(measured);
                        }
                    }
                    consumer.close();
                    consuming.join(Duration.ofSeconds(30).toMillis());
                    return new Result(options, byRate);
                }
            }
        }
    }

    private static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** Sends {@code rate * seconds} transactions on schedule, waits until all were handled, and measures them. */
    private Run phase(PreparedStatement insert, int rate, int seconds, SdkStack stack, AtomicReference<Throwable> ended) throws Exception {
        long from = nextId;
        long count = (long) rate * seconds;
        long to = from + count;
        double interval = 1e9 / rate;
        long start = System.nanoTime();
        for (long id = from; id < to; id++) {
            long due = start + (long) ((id - from) * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            insert.setLong(1, id);
            insert.setInt(2, (int) (id % 1000));
            insert.setLong(3, id);
            insert.executeUpdate();
            committed.set((int) id, System.nanoTime());
            committedWallMicros.set((int) id, wallMicros());
        }
        long lastCommit = committed.get((int) to - 1);
        nextId = to;
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (handledCount.get() < to - 1) {
            stack.check();
            if (ended.get() != null) {
                throw new IllegalStateException("the consumer stopped", ended.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("latency: the handler saw " + handledCount.get() + " of " + (to - 1) + " rows within "
                        + options.timeout());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        long[] latencies = new long[(int) count];
        long[] byCommitTime = new long[(int) count];
        long lastHandled = 0;
        for (long id = from; id < to; id++) {
            int i = (int) (id - from);
            long h = handled.get((int) id);
            latencies[i] = Math.max(0, h - committed.get((int) id));
            byCommitTime[i] = byCommitTimeMicros.get((int) id);
            lastHandled = Math.max(lastHandled, h);
        }
        NativeLatency nativeLatency = NativeLatency.NONE;
        if (nativePeer != null) {
            long[] applied = nativePeer.awaitApplied(from, to, options.timeout());
            long[] nativeLatencies = new long[(int) count];
            long lastApplied = 0;
            for (long id = from; id < to; id++) {
                int i = (int) (id - from);
                nativeLatencies[i] = Math.max(0, applied[i] - committedWallMicros.get((int) id));
                lastApplied = Math.max(lastApplied, applied[i]);
            }
            Percentiles n = Percentiles.of(nativeLatencies);
            nativeLatency = new NativeLatency(n.percentile(50) / 1e3, n.percentile(99) / 1e3, n.max() / 1e3,
                    (lastApplied - committedWallMicros.get((int) to - 1)) / 1e3);
        }
        Percentiles p = Percentiles.of(latencies);
        Percentiles c = Percentiles.of(byCommitTime);
        return new Run(rate, count, count / ((lastCommit - start) / 1e9), p.percentile(50) / 1e6, p.percentile(99) / 1e6, p.max() / 1e6,
                (lastHandled - lastCommit) / 1e6, c.percentile(50) / 1e3, c.percentile(99) / 1e3, nativeLatency);
    }
}
