package dev.pgcapture.bench;

import dev.pgcapture.agent.AgentRunner;
import dev.pgcapture.agent.Pg2Pulsar;
import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.capture.ReplicationSource;
import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.embedded.LocalPostgres;
import dev.pgcapture.embedded.LocalPulsar;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario {@code capture}: the same WAL drained by the pgcapture agent (in-process, into the
 * in-process broker), by {@code pg_recvlogical} (to {@code /dev/null}) and by Debezium's embedded
 * engine (in-process, into a consumer that only counts).
 *
 * <p>Every run uses a fresh database: a table {@code (id bigint primary key, n int, payload text
 * (100 bytes), at timestamptz)}, {@link CaptureSetup} (publication, pgcapture's slot, DDL
 * triggers), then a {@code pgoutput} slot for each other peer, all before the load, so every peer
 * decodes the same WAL. The load runs to completion before any peer starts; the end is
 * {@code pg_current_wal_insert_lsn()} after it. The peers drain one after the other, the order
 * rotating between runs.
 */
final class CaptureScenario {

    private static final Logger log = LoggerFactory.getLogger(CaptureScenario.class);
    private static final String TABLE = "bench_rows";
    private static final Duration STATUS_INTERVAL = Duration.ofMillis(100);

    /**
     * @param rows rows inserted per run
     * @param updates rows updated after the inserts, in one transaction (0 for none)
     * @param transactions how many transactions the inserts are split into
     * @param runs measured runs
     * @param warmupRows rows of the untimed warm-up run (0 for none)
     * @param recvlogical the {@code pg_recvlogical} executable
     * @param timeout the longest one drain may take
     */
    record Options(int rows, int updates, int transactions, int runs, int warmupRows, Path recvlogical, Duration timeout) {

        Options {
            if (rows < 1) {
                throw new IllegalArgumentException("--rows must be at least 1, was " + rows);
            }
            if (updates < 0 || updates > rows) {
                throw new IllegalArgumentException("--updates must be between 0 and --rows (" + rows + "), was " + updates);
            }
            if (transactions < 1 || transactions > rows) {
                throw new IllegalArgumentException("--transactions must be between 1 and --rows (" + rows + "), was " + transactions);
            }
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
            }
            if (warmupRows < 0) {
                throw new IllegalArgumentException("--warmup-rows must not be negative, was " + warmupRows);
            }
        }
    }

    /**
     * One peer's drain.
     *
     * @param seconds from the peer's start until the slot confirmed the end (pg_recvlogical: until it exited at the end)
     * @param startupSeconds from the peer's start until it was streaming (the slot became active)
     * @param clientCpuSeconds CPU of the client side during the drain (pgcapture: this whole JVM, broker included)
     * @param walSenderCpuSeconds CPU of the server's walsender (decoding) during the drain
     */
    record PeerRun(double seconds, double startupSeconds, double clientCpuSeconds, double walSenderCpuSeconds) {

        double streamingSeconds() {
            return seconds - startupSeconds;
        }
    }

    /**
     * One measured run: how many changes, how much WAL, both peers, which drained first, and how
     * many messages pgcapture's topic received (Begin, Change and Commit each count one).
     */
    record Run(long changes, long walBytes, PeerRun pgcapture, PeerRun recvlogical, PeerRun debezium, double debeziumConfirmedShare,
               List<Peer> order, long topicMessages, long expectedTopicMessages) {
    }

    /** The peers, in the order of the first run; later runs rotate it by one each. */
    enum Peer { pgcapture, pg_recvlogical, debezium }

    /** Everything the report needs; the warm-up runs are pgcapture's and Debezium's. */
    record Result(Options options, int protoVersion, PeerRun warmup, PeerRun debeziumWarmup, List<Run> runs) {
    }

    private final LocalPostgres postgres;
    private final BenchDatabases databases;
    private final LocalPulsar pulsar;
    private final PulsarAdmin admin;
    private final Options options;
    private int protoVersion;
    /** Per Debezium slot: its confirmed position once the engine stopped. */
    private final Map<String, Lsn> debeziumConfirmed = new HashMap<>();

    CaptureScenario(LocalPostgres postgres, LocalPulsar pulsar, PulsarAdmin admin, Options options) {
        this.postgres = postgres;
        this.databases = new BenchDatabases(postgres);
        this.pulsar = pulsar;
        this.admin = admin;
        this.options = options;
    }

    Result run() throws Exception {
        protoVersion = ReplicationSource.protoVersion(serverVersionNum());
        PeerRun warmup = null;
        PeerRun debeziumWarmup = null;
        if (options.warmupRows() > 0) {
            log.info("capture: warm-up with {} rows (untimed, pgcapture and Debezium)", options.warmupRows());
            Run run = oneRun("warmup", options.warmupRows(), 0, List.of(Peer.pgcapture, Peer.debezium));
            warmup = run.pgcapture();
            debeziumWarmup = run.debezium();
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 1; i <= options.runs(); i++) {
            List<Peer> order = new ArrayList<>(List.of(Peer.values()));
            Collections.rotate(order, -(i - 1));
            Run run = oneRun("run" + i, options.rows(), options.updates(), order);
            log.info("capture run {}: {} changes; pgcapture {} s ({} rows/s), pg_recvlogical {} s ({} rows/s), Debezium {} s ({} rows/s)", i,
                    run.changes(),
                    BenchDatabases.round(run.pgcapture().seconds()), Math.round(run.changes() / run.pgcapture().seconds()),
                    BenchDatabases.round(run.recvlogical().seconds()), Math.round(run.changes() / run.recvlogical().seconds()),
                    BenchDatabases.round(run.debezium().seconds()), Math.round(run.changes() / run.debezium().seconds()));
            runs.add(run);
        }
        return new Result(options, protoVersion, warmup, debeziumWarmup, runs);
    }

    private Run oneRun(String label, int rows, int updates, List<Peer> order) throws Exception {
        String database = "bench_" + label;
        String pgcaptureSlot = "pgcapture_" + label;
        String recvSlot = "recvlogical_" + label;
        String debeziumSlot = "debezium_" + label;
        String topic = "persistent://public/default/bench-capture-" + label + "-" + System.currentTimeMillis();
        try (Connection admin = databases.connect("postgres")) {
            BenchDatabases.execute(admin, "DROP DATABASE IF EXISTS " + database);
            BenchDatabases.execute(admin, "CREATE DATABASE " + database);
            try (Connection db = databases.connect(database)) {
                BenchDatabases.execute(db, "CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, n int, payload text, at timestamptz)");
                new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(pgcaptureSlot)).init(db);
                BenchDatabases.execute(db, "SELECT pg_create_logical_replication_slot('" + recvSlot + "', 'pgoutput')");
                BenchDatabases.execute(db, "SELECT pg_create_logical_replication_slot('" + debeziumSlot + "', 'pgoutput')");
                Lsn start = BenchDatabases.currentInsertLsn(db);
                load(db, rows, updates);
                Lsn end = BenchDatabases.currentInsertLsn(db);
                long changes = (long) rows + updates;
                log.info("capture {}: loaded {} changes, {} MB of WAL, end {}", label, changes, (end.value() - start.value()) >> 20, end);
                PeerRun pgcapture = null;
                PeerRun recvlogical = null;
                PeerRun debezium = null;
                for (Peer peer : order) {
                    switch (peer) {
                        case pgcapture -> pgcapture = drainPgcapture(admin, database, pgcaptureSlot, end, topic);
                        case pg_recvlogical -> recvlogical = drainRecvlogical(admin, database, recvSlot, end);
                        case debezium -> debezium = drainDebezium(admin, database, debeziumSlot, changes, label);
                    }
                }
                long transactions = (rows + perTransaction(rows) - 1) / perTransaction(rows) + (updates > 0 ? 1 : 0);
                long expected = changes + 2 * transactions;
                long inTopic = this.admin.topics().getStats(topic).getMsgInCounter();
                if (inTopic != expected) {
                    throw new IllegalStateException("pgcapture's topic " + topic + " received " + inTopic + " messages; the load made "
                            + expected + " (" + changes + " changes in " + transactions + " transactions)");
                }
                return new Run(changes, end.value() - start.value(), pgcapture, recvlogical, debezium,
                        confirmedShare(debeziumConfirmed.get(debeziumSlot), start, end), order, inTopic, expected);
            } finally {
                Slots.drop(admin, List.of(pgcaptureSlot, recvSlot, debeziumSlot));
                BenchDatabases.execute(admin, "DROP DATABASE IF EXISTS " + database);
                deleteTopic(topic);
            }
        }
    }

    /** The share of the load's WAL a slot confirmed: 1 at the end, NaN for a peer that did not run. */
    private static double confirmedShare(Lsn confirmed, Lsn start, Lsn end) {
        return confirmed == null ? Double.NaN : Math.max(0.0, (double) (confirmed.value() - start.value()) / (end.value() - start.value()));
    }

    private void load(Connection db, int rows, int updates) throws SQLException {
        int perTransaction = perTransaction(rows);
        for (int from = 1; from <= rows; from += perTransaction) {
            int to = Math.min(rows, from + perTransaction - 1);
            BenchDatabases.execute(db, "INSERT INTO " + TABLE + " SELECT g, g % 1000, rpad(md5(g::text), 100, md5(g::text)), now()"
                    + " FROM generate_series(" + from + ", " + to + ") g");
        }
        if (updates > 0) {
            BenchDatabases.execute(db, "UPDATE " + TABLE + " SET n = n + 1, at = now() WHERE id <= " + updates);
        }
    }

    private int perTransaction(int rows) {
        return (rows + options.transactions() - 1) / options.transactions();
    }

    private PeerRun drainPgcapture(Connection watchConnection, String database, String slot, Lsn end, String topic) throws Exception {
        Pg2Pulsar.Settings settings = new Pg2Pulsar.Settings(
                databases.url(database),
                CaptureSettings.defaults().withSlot(slot).withStatusInterval(STATUS_INTERVAL),
                pulsar.serviceUrl(), pulsar.httpUrl(), PulsarSinkSettings.forTopic(topic), Duration.ofDays(7));
        Pg2Pulsar agent = new Pg2Pulsar(settings, AgentRunner.Backoff.standard());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SlotWatch watch = new SlotWatch(watchConnection, slot);
        double[] walSenderCpu = {Double.NaN, Double.NaN};
        double cpuBefore = CpuTime.ofThisJvm();
        long started = System.nanoTime();
        Thread thread = Thread.ofPlatform().name("bench-pg2pulsar").start(() -> {
            try {
                agent.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        SlotWatch.Drain drain;
        try {
            drain = watch.awaitConfirmed(started, end, options.timeout(), pid -> {
                sampleWalSender(walSenderCpu, pid);
                return !thread.isAlive();
            });
        } finally {
            agent.stop();
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
        double cpu = CpuTime.ofThisJvm() - cpuBefore;
        if (failure.get() != null || drain.endedEarly()) {
            throw new IllegalStateException("pgcapture stopped before confirming " + end + " (confirmed " + drain.confirmed() + ")", failure.get());
        }
        return new PeerRun(drain.confirmedNanos() / 1e9, drain.activeNanos() / 1e9, cpu, walSenderCpu[1] - walSenderCpu[0]);
    }

    /**
     * pg_recvlogical with {@code -E end}: it exits as soon as the server tells it that it has
     * everything up to the end LSN, so its exit is the drain's end, measured to the process's
     * exit (its status updates come at whole seconds at best, too coarse to time by the slot).
     */
    private PeerRun drainRecvlogical(Connection watchConnection, String database, String slot, Lsn end) throws Exception {
        List<String> command = List.of(options.recvlogical().toString(),
                "-h", postgres.host(), "-p", Integer.toString(postgres.port()), "-U", LocalPostgres.SUPERUSER, "-d", database,
                "-S", slot, "--start", "--no-loop", "-E", end.toString(), "-s", "1", "-F", "0", "-f", "/dev/null",
                "-o", "proto_version=" + protoVersion, "-o", "publication_names=pgcapture", "-o", "binary=true");
        SlotWatch watch = new SlotWatch(watchConnection, slot);
        double[] walSenderCpu = {Double.NaN, Double.NaN};
        double[] clientCpu = {Double.NaN};
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        SlotWatch.Drain drain;
        try {
            // Never reached as an LSN: the watch ends when the process does (noticed within one poll).
            drain = watch.awaitConfirmed(started, new Lsn(-1L >>> 1), options.timeout(), pid -> {
                sampleWalSender(walSenderCpu, pid);
                double cpu = CpuTime.ofProcess(process.pid());
                if (!Double.isNaN(cpu)) {
                    clientCpu[0] = cpu;
                }
                return !process.isAlive();
            });
            process.waitFor();
        } finally {
            process.destroy();
        }
        int exitCode = process.exitValue();
        if (exitCode != 0) {
            throw new IllegalStateException("pg_recvlogical exited with " + exitCode + ": " + String.join(" ", command));
        }
        Lsn confirmed = watch.confirmed();
        if (confirmed.compareTo(end) < 0) {
            log.warn("pg_recvlogical exited at its end position, but slot {} confirmed only {} of {}", slot, confirmed, end);
        }
        return new PeerRun(drain.confirmedNanos() / 1e9, drain.activeNanos() / 1e9, clientCpu[0], walSenderCpu[1] - walSenderCpu[0]);
    }

    /**
     * Debezium's engine on its own slot: timed from the engine's start until its consumer has
     * marked the last of the load's change records processed (the batch holding it finished).
     */
    private PeerRun drainDebezium(Connection watchConnection, String database, String slot, long changes, String label) throws Exception {
        SlotWatch watch = new SlotWatch(watchConnection, slot);
        double[] walSenderCpu = {Double.NaN, Double.NaN};
        double cpuBefore = CpuTime.ofThisJvm();
        long started = System.nanoTime();
        long reached;
        double cpu;
        SlotWatch.Drain drain;
        try (DebeziumPeer debezium = new DebeziumPeer(postgres, database, slot, "bench-" + label, List.of("public." + TABLE), r -> { })) {
            debezium.start();
            // Never reached as an LSN: the watch ends when the consumer has seen every record.
            drain = watch.awaitConfirmed(started, new Lsn(-1L >>> 1), options.timeout(), pid -> {
                sampleWalSender(walSenderCpu, pid);
                return debezium.counted() >= changes || debezium.stopped();
            });
            reached = debezium.awaitCount(changes, Duration.ofSeconds(10));
            cpu = CpuTime.ofThisJvm() - cpuBefore;
        }
        // The engine committed offsets after every batch; what the connector confirmed on the slot
        // from them, by the time the engine stopped, goes into the report.
        debeziumConfirmed.put(slot, watch.confirmed());
        return new PeerRun((reached - started) / 1e9, drain.activeNanos() / 1e9, cpu, walSenderCpu[1] - walSenderCpu[0]);
    }

    /** Keeps the first and the latest CPU reading of the slot's walsender. */
    private static void sampleWalSender(double[] cpu, int pid) {
        if (pid == 0) {
            return;
        }
        double now = CpuTime.ofProcess(pid);
        if (Double.isNaN(now)) {
            return;
        }
        if (Double.isNaN(cpu[0])) {
            cpu[0] = now;
        }
        cpu[1] = now;
    }

    private void deleteTopic(String topic) {
        try {
            admin.topics().delete(topic, true);
        } catch (Exception e) {
            log.debug("could not delete topic {}: {}", topic, e.getMessage());
        }
    }

    private int serverVersionNum() throws SQLException {
        try (Connection c = databases.connect("postgres"); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW server_version_num")) {
            r.next();
            return r.getInt(1);
        }
    }
}
