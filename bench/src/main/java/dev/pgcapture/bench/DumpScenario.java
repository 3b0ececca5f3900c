package dev.pgcapture.bench;

import dev.pgcapture.consumer.Consumer;
import dev.pgcapture.consumer.ConsumerOptions;
import dev.pgcapture.consumer.Handlers;
import dev.pgcapture.consumer.PgCapture;
import dev.pgcapture.consumer.PgColumn;
import dev.pgcapture.consumer.PgTable;
import dev.pgcapture.embedded.LocalPulsar;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ScheduleProgress;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.TableName;
import java.io.OutputStream;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario {@code dump}: an N-row table of the replica read by a consumer SDK as a dump (the
 * controller plans it with {@code ScheduleTables}, the gateway streams it from the replica's
 * agent, the consumer handles every row as DUMP and acknowledges it), against {@code COPY … TO
 * STDOUT (FORMAT binary)} of the same table on the same replica, read by pgjdbc's
 * {@code CopyManager} into a null sink.
 *
 * <p>The table is filled on the source before capture starts and copied to the replica by
 * {@code seed}, then vacuumed there, so both peers read the same settled pages. Each run dumps
 * with a new consumer URI (its own subscription and schedule); the peers alternate order between
 * runs; an untimed warm-up of both on a smaller table comes first.
 */
final class DumpScenario {

    private static final Logger log = LoggerFactory.getLogger(DumpScenario.class);
    private static final String TABLE = "bench_dump";
    private static final String WARMUP_TABLE = "bench_dump_warmup";
    private static final String MARKER_TABLE = "bench_dump_marker";
    private static final String COLUMNS = " (id bigint PRIMARY KEY, n int NOT NULL, payload text, at timestamptz)";
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    /**
     * @param rows rows of the dumped table
     * @param warmupRows rows of the warm-up table (0 for no warm-up)
     * @param pagesPerChunk pages per dump chunk; 0 for the controller's default
     * @param runs measured runs
     * @param timeout the longest one dump may take
     */
    record Options(int rows, int warmupRows, int pagesPerChunk, int runs, Duration timeout) {

        Options {
            if (rows < 1) {
                throw new IllegalArgumentException("--rows-dump must be at least 1, was " + rows);
            }
            if (warmupRows < 0) {
                throw new IllegalArgumentException("--dump-warmup-rows must not be negative, was " + warmupRows);
            }
            if (pagesPerChunk < 0) {
                throw new IllegalArgumentException("--dump-pages-per-chunk must not be negative, was " + pagesPerChunk);
            }
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
            }
        }
    }

    /**
     * One measured run; seconds from the moment {@code ScheduleTables} was sent.
     *
     * @param firstRowSeconds until the handler had the first row (planning, the gateway's pause, the agent's snapshot)
     * @param lastRowSeconds until the handler had the last row
     * @param completeSeconds until the controller listed every chunk done (every row acknowledged)
     * @param chunks chunks the controller planned
     * @param copySeconds the COPY peer, whole statement
     */
    record Run(double firstRowSeconds, double lastRowSeconds, double completeSeconds, int chunks, double copySeconds, boolean dumpFirst) {
    }

    record Result(Options options, long tableBytes, List<Run> runs) {
    }

    @PgTable(name = TABLE)
    record DumpRow(@PgColumn(value = "id", key = true) long id, @PgColumn("n") int n, @PgColumn("payload") String payload,
                   @PgColumn("at") Instant at) {
    }

    @PgTable(name = WARMUP_TABLE)
    record WarmupRow(@PgColumn(value = "id", key = true) long id, @PgColumn("n") int n, @PgColumn("payload") String payload,
                     @PgColumn("at") Instant at) {
    }

    private final BenchDatabases databases;
    private final LocalPulsar pulsar;
    private final PulsarAdmin admin;
    private final Options options;
    private Connection source;
    private int markers;

    DumpScenario(BenchDatabases databases, LocalPulsar pulsar, PulsarAdmin admin, Options options) {
        this.databases = databases;
        this.pulsar = pulsar;
        this.admin = admin;
        this.options = options;
    }

    Result run() throws Exception {
        String label = "dump" + System.currentTimeMillis();
        List<String> uris = new ArrayList<>();
        uris.add("bench-dump-warmup");
        for (int i = 1; i <= options.runs(); i++) {
            uris.add("bench-dump-run" + i);
        }
        SdkStack.Names names = new SdkStack.Names("bench_" + label + "_src", "bench_" + label + "_replica", "bench_" + label + "_store",
                "pgcapture_" + label, "persistent://public/default/bench-" + label, uris);
        try (BenchSetup setup = new BenchSetup(databases, admin, names)) {
            log.info("dump: filling {} with {} rows (and {} with {})", TABLE, options.rows(), WARMUP_TABLE, options.warmupRows());
            setup.createDatabases("CREATE TABLE " + TABLE + COLUMNS, "CREATE TABLE " + WARMUP_TABLE + COLUMNS, fill(TABLE, options.rows()),
                    fill(WARMUP_TABLE, options.warmupRows()), "CREATE TABLE " + MARKER_TABLE + " (id int PRIMARY KEY)");
            try (SdkStack stack = SdkStack.start(databases, pulsar, names); Connection replica = databases.connect(names.replica());
                 Connection source = databases.connect(names.source())) {
                this.source = source;
                BenchDatabases.execute(replica, "VACUUM (ANALYZE) " + TABLE);
                BenchDatabases.execute(replica, "VACUUM (ANALYZE) " + WARMUP_TABLE);
                long tableBytes = tableBytes(replica);
                if (options.warmupRows() > 0) {
                    log.info("dump: warm-up with {} rows (untimed)", options.warmupRows());
                    copy(replica, WARMUP_TABLE, options.warmupRows());
                    dump(stack, setup, "bench-dump-warmup", WARMUP_TABLE, WarmupRow.class, options.warmupRows());
                }
                List<Run> runs = new ArrayList<>();
                for (int i = 1; i <= options.runs(); i++) {
                    boolean dumpFirst = i % 2 == 1;
                    double copySeconds = 0;
                    if (!dumpFirst) {
                        copySeconds = copy(replica, TABLE, options.rows());
                    }
                    Run dumped = dump(stack, setup, "bench-dump-run" + i, TABLE, DumpRow.class, options.rows());
                    if (dumpFirst) {
                        copySeconds = copy(replica, TABLE, options.rows());
                    }
                    Run run = new Run(dumped.firstRowSeconds(), dumped.lastRowSeconds(), dumped.completeSeconds(), dumped.chunks(),
                            copySeconds, dumpFirst);
                    log.info("dump run {}: {} rows; pgcapture dump {} s to complete (first row {} s, last row {} s, {} chunks), COPY {} s", i,
                            options.rows(), BenchDatabases.round(run.completeSeconds()), BenchDatabases.round(run.firstRowSeconds()),
                            BenchDatabases.round(run.lastRowSeconds()), run.chunks(), BenchDatabases.round(run.copySeconds()));
                    runs.add(run);
                }
                return new Result(options, tableBytes, runs);
            }
        }
    }

    private static String fill(String table, int rows) {
        return "INSERT INTO " + table + " SELECT g, g % 1000, rpad(md5(g::text), 100, md5(g::text)), now() FROM generate_series(1, " + rows + ") g";
    }

    /** {@code COPY table TO STDOUT (FORMAT binary)} into a null sink; seconds for the whole statement. */
    private double copy(Connection replica, String table, int rows) throws Exception {
        long started = System.nanoTime();
        long copied = replica.unwrap(PGConnection.class).getCopyAPI()
                .copyOut("COPY " + table + " TO STDOUT (FORMAT binary)", OutputStream.nullOutputStream());
        double seconds = (System.nanoTime() - started) / 1e9;
        if (copied != rows) {
            throw new IllegalStateException("COPY " + table + " gave " + copied + " rows, the table has " + rows);
        }
        return seconds;
    }

    /**
     * Connects a consumer for {@code uri}, schedules {@code table}'s dump and waits until the
     * handler has had every row exactly once and the controller lists every chunk done.
     */
    private <T> Run dump(SdkStack stack, BenchSetup setup, String uri, String table, Class<T> model, int rows) throws Exception {
        AtomicLong count = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        BitSet seen = new BitSet(rows + 1);
        AtomicLong duplicates = new AtomicLong();
        AtomicLong live = new AtomicLong();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean marked = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.ToLongFunction<T> idOf = row -> row instanceof DumpRow d ? d.id() : ((WarmupRow) row).id();
        try (Consumer consumer = PgCapture.newConsumer(stack.gateway(), ConsumerOptions.builder(uri).build())) {
            Thread consuming = Thread.ofPlatform().name("bench-dump-consumer").start(() -> {
                try {
                    consumer.consume(Handlers.builder().otherTables(change -> marked.set(true)).on(model, change -> {
                        if (!change.isDump()) {
                            live.incrementAndGet();
                            return;
                        }
                        long now = System.nanoTime();
                        int id = (int) idOf.applyAsLong(change.newRow());
                        if (seen.get(id)) {
                            duplicates.incrementAndGet();
                        }
                        seen.set(id);
                        if (count.incrementAndGet() == 1) {
                            firstNanos.set(now);
                        }
                        lastNanos.set(now);
                    }).build());
                } catch (Throwable e) {
                    ended.set(e);
                }
            });
            setup.awaitSubscription(uri + "-subscription", options.timeout());
            awaitLive(stack, marked, ended, uri);
            long started = System.nanoTime();
            int chunks = stack.controller().scheduleTables(ScheduleTablesRequest.newBuilder().setUri(uri)
                    .addTables(TableName.newBuilder().setSchema("public").setTable(table)).setPagesPerChunk(options.pagesPerChunk()).build())
                    .getDumpsCount();
            long deadline = started + options.timeout().toNanos();
            long complete;
            while (true) {
                long now = System.nanoTime();
                if (count.get() >= rows && done(stack, uri)) {
                    complete = now;
                    break;
                }
                stack.check();
                if (ended.get() != null) {
                    throw new IllegalStateException("the consumer of " + uri + " stopped", ended.get());
                }
                if (now > deadline) {
                    throw new IllegalStateException("dump of " + table + ": " + count.get() + " of " + rows + " rows within " + options.timeout()
                            + "; consumer " + consumer.stats());
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            consumer.close();
            consuming.join(Duration.ofSeconds(30).toMillis());
            if (count.get() != rows || duplicates.get() != 0 || seen.cardinality() != rows) {
                throw new IllegalStateException("dump of " + table + ": " + count.get() + " rows handled, " + seen.cardinality() + " distinct, "
                        + duplicates.get() + " twice; the table has " + rows);
            }
            return new Run((firstNanos.get() - started) / 1e9, (lastNanos.get() - started) / 1e9, (complete - started) / 1e9, chunks, 0, true);
        }
    }

    /**
     * Commits a row to the marker table at the source and waits until the consumer has handled
     * it: the consumer's stream is live (its subscription active, caught up), as a long-running
     * consumer's is when a dump is scheduled.
     */
    private void awaitLive(SdkStack stack, java.util.concurrent.atomic.AtomicBoolean marked, AtomicReference<Throwable> ended, String uri)
            throws Exception {
        BenchDatabases.execute(source, "INSERT INTO " + MARKER_TABLE + " VALUES (" + (++markers) + ")");
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (!marked.get()) {
            stack.check();
            if (ended.get() != null) {
                throw new IllegalStateException("the consumer of " + uri + " stopped", ended.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the consumer of " + uri + " did not receive a change within " + options.timeout());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Whether the controller lists {@code uri}'s schedule with every chunk done. */
    private static boolean done(SdkStack stack, String uri) {
        List<ScheduleProgress> schedules = stack.controller().listSchedules(ListSchedulesRequest.newBuilder().setUri(uri).build())
                .getSchedulesList();
        return !schedules.isEmpty() && schedules.stream().allMatch(s -> s.getChunksTotal() > 0 && s.getChunksDone() == s.getChunksTotal());
    }

    private static long tableBytes(Connection replica) throws Exception {
        try (var s = replica.createStatement(); var r = s.executeQuery("SELECT pg_table_size('" + TABLE + "')")) {
            r.next();
            return r.getLong(1);
        }
    }
}
