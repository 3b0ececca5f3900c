package dev.pgcapture.bench;

import dev.pgcapture.agent.AgentRunner;
import dev.pgcapture.agent.Pg2Pulsar;
import dev.pgcapture.agent.Pulsar2Pg;
import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.agent.replica.ApplySettings;
import dev.pgcapture.agent.replica.DumpInterlock;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.embedded.LocalPostgres;
import dev.pgcapture.embedded.LocalPulsar;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario {@code apply}: the same single-row source transactions applied to a replica by
 * pgcapture ({@code pulsar2pg}, from the capture topic) and by PostgreSQL's native logical
 * replication ({@code CREATE SUBSCRIPTION}, from its own slot).
 *
 * <p>Per run: a fresh source database with one table, pgcapture's set-up (slot, publication) and a
 * second publication and slot for the subscription, both before the load; a replica database
 * seeded by {@code seed} for pgcapture and one with the same table and a disabled subscription
 * for the native peer. The load (single-row transactions: 60% inserts, 30% updates, 10%
 * deletes, in autocommit) runs to completion and pg2pulsar publishes it (untimed). Then each
 * peer starts and is timed until its replica's table equals the source's (count, sums and hash,
 * polled every 10 ms); the order alternates between runs.
 */
final class ApplyScenario {

    private static final Logger log = LoggerFactory.getLogger(ApplyScenario.class);
    private static final String TABLE = "bench_apply";
    private static final String CREATE_TABLE = "CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, n int NOT NULL, payload text, at timestamptz)";
    private static final String FINGERPRINT = "SELECT count(*) || '/' || coalesce(sum(n), 0) || '/' || coalesce(sum(hashtext(payload)::bigint), 0)"
            + " || '/' || coalesce(sum(hashtext(at::text)::bigint), 0) FROM " + TABLE;
    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    /**
     * @param transactions single-row source transactions per run
     * @param runs measured runs
     * @param timeout the longest one peer may take
     */
    record Options(int transactions, int runs, Duration timeout) {

        Options {
            if (transactions < 10) {
                throw new IllegalArgumentException("--apply-transactions must be at least 10, was " + transactions);
            }
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
            }
        }
    }

    /** One measured run: seconds until each peer's replica equalled the source. */
    record Run(double pgcaptureSeconds, double nativeSeconds, boolean pgcaptureFirst) {
    }

    record Result(Options options, List<Run> runs) {
    }

    private final LocalPostgres postgres;
    private final BenchDatabases databases;
    private final LocalPulsar pulsar;
    private final PulsarAdmin admin;
    private final Options options;

    ApplyScenario(LocalPostgres postgres, LocalPulsar pulsar, PulsarAdmin admin, Options options) {
        this.postgres = postgres;
        this.databases = new BenchDatabases(postgres);
        this.pulsar = pulsar;
        this.admin = admin;
        this.options = options;
    }

    Result run() throws Exception {
        log.info("apply: warm-up run (untimed)");
        oneRun("warmup", true);
        List<Run> runs = new ArrayList<>();
        for (int i = 1; i <= options.runs(); i++) {
            Run run = oneRun("run" + i, i % 2 == 1);
            log.info("apply run {}: {} transactions; pgcapture {} s, native logical replication {} s", i, options.transactions(),
                    BenchDatabases.round(run.pgcaptureSeconds()), BenchDatabases.round(run.nativeSeconds()));
            runs.add(run);
        }
        return new Result(options, runs);
    }

    private Run oneRun(String label, boolean pgcaptureFirst) throws Exception {
        String source = "bench_apply_src_" + label;
        String pgcaptureReplica = "bench_apply_pgc_" + label;
        String nativeReplica = "bench_apply_native_" + label;
        String slot = "pgcapture_apply_" + label;
        String nativeSlot = "native_apply_" + label;
        String topic = "persistent://public/default/bench-apply-" + label + "-" + System.currentTimeMillis();
        try (Connection admin = databases.connect("postgres")) {
            for (String db : List.of(source, pgcaptureReplica, nativeReplica)) {
                BenchDatabases.execute(admin, "DROP DATABASE IF EXISTS " + db);
                BenchDatabases.execute(admin, "CREATE DATABASE " + db);
            }
            try (Connection src = databases.connect(source); Connection pgc = databases.connect(pgcaptureReplica); Connection nat = databases.connect(nativeReplica)) {
                BenchDatabases.execute(src, CREATE_TABLE);
                new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(slot)).init(src);
                BenchDatabases.execute(src, "CREATE PUBLICATION bench_native FOR TABLE " + TABLE);
                BenchDatabases.execute(src, "SELECT pg_create_logical_replication_slot('" + nativeSlot + "', 'pgoutput')");
                new Seeder(SeedSettings.of(databases.url(source), databases.url(pgcaptureReplica)), line -> log.debug("seed: {}", line)).run();
                BenchDatabases.execute(nat, CREATE_TABLE);
                BenchDatabases.execute(nat, "CREATE SUBSCRIPTION " + nativeSlot + " CONNECTION 'host=" + postgres.host() + " port=" + postgres.port()
                        + " dbname=" + source + " user=" + LocalPostgres.SUPERUSER + "' PUBLICATION bench_native"
                        + " WITH (create_slot = false, slot_name = '" + nativeSlot + "', copy_data = false, enabled = false)");

                load(src);
                Lsn end = BenchDatabases.currentInsertLsn(src);
                String expected = fingerprint(src);
                publish(source, slot, topic, end);
                log.info("apply {}: {} transactions loaded and published (end {})", label, options.transactions(), end);

                double pgcapture;
                double nativeSeconds;
                if (pgcaptureFirst) {
                    pgcapture = applyPgcapture(pgcaptureReplica, pgc, topic, expected);
                    nativeSeconds = applyNative(nat, nativeSlot, expected);
                } else {
                    nativeSeconds = applyNative(nat, nativeSlot, expected);
                    pgcapture = applyPgcapture(pgcaptureReplica, pgc, topic, expected);
                }
                return new Run(pgcapture, nativeSeconds, pgcaptureFirst);
            } finally {
                dropSubscription(nativeReplica, nativeSlot);
                awaitSlotsInactive(admin, slot, nativeSlot);
                BenchDatabases.execute(admin, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name IN ('"
                        + slot + "', '" + nativeSlot + "') AND NOT active");
                for (String db : List.of(source, pgcaptureReplica, nativeReplica)) {
                    BenchDatabases.execute(admin, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                }
                try {
                    this.admin.topics().delete(topic, true);
                } catch (Exception e) {
                    log.debug("could not delete topic {}: {}", topic, e.getMessage());
                }
            }
        }
    }

    /** Single-row transactions in autocommit: 60% inserts, 30% updates and 10% deletes of live rows. */
    private void load(Connection src) throws SQLException {
        Random random = new Random(42);
        List<Long> live = new ArrayList<>();
        long nextId = 1;
        try (PreparedStatement insert = src.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?, md5(?::text), now())");
             PreparedStatement update = src.prepareStatement("UPDATE " + TABLE + " SET n = n + 1, at = now() WHERE id = ?");
             PreparedStatement delete = src.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
            for (int i = 0; i < options.transactions(); i++) {
                int kind = i % 10;
                if (kind < 6 || live.isEmpty()) {
                    long id = nextId++;
                    insert.setLong(1, id);
                    insert.setInt(2, (int) (id % 1000));
                    insert.setLong(3, id);
                    insert.executeUpdate();
                    live.add(id);
                } else if (kind < 9) {
                    update.setLong(1, live.get(random.nextInt(live.size())));
                    update.executeUpdate();
                } else {
                    int at = random.nextInt(live.size());
                    delete.setLong(1, live.get(at));
                    delete.executeUpdate();
                    live.set(at, live.getLast());
                    live.removeLast();
                }
            }
        }
    }

    /** Runs pg2pulsar until its slot has confirmed {@code end}: the whole load is in the topic. */
    private void publish(String source, String slot, String topic, Lsn end) throws Exception {
        Pg2Pulsar agent = new Pg2Pulsar(new Pg2Pulsar.Settings(databases.url(source), CaptureSettings.defaults().withSlot(slot)
                .withStatusInterval(Duration.ofMillis(100)), pulsar.serviceUrl(), pulsar.httpUrl(), PulsarSinkSettings.forTopic(topic),
                Duration.ofDays(7)), AgentRunner.Backoff.standard());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("bench-pg2pulsar").start(() -> {
            try {
                agent.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try (Connection c = databases.connect(source)) {
            long deadline = System.nanoTime() + options.timeout().toNanos();
            while (confirmed(c, slot).compareTo(end) < 0) {
                if (!thread.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("pg2pulsar did not publish the load up to " + end, failure.get());
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        } finally {
            agent.stop();
            thread.join(TimeUnit.MINUTES.toMillis(1));
        }
    }

    private double applyPgcapture(String replica, Connection watch, String topic, String expected) throws Exception {
        Pulsar2Pg agent = new Pulsar2Pg(new Pulsar2Pg.Settings(databases.url(replica), pulsar.serviceUrl(), topic, ApplySettings.defaults()),
                AgentRunner.Backoff.standard(), DumpInterlock.NONE, null);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long started = System.nanoTime();
        Thread thread = Thread.ofPlatform().name("bench-pulsar2pg").start(() -> {
            try {
                agent.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            return awaitEqual(watch, expected, started, thread::isAlive, failure, "pgcapture");
        } finally {
            agent.stop();
            thread.join(TimeUnit.MINUTES.toMillis(1));
        }
    }

    private double applyNative(Connection replica, String subscription, String expected) throws Exception {
        long started = System.nanoTime();
        BenchDatabases.execute(replica, "ALTER SUBSCRIPTION " + subscription + " ENABLE");
        return awaitEqual(replica, expected, started, () -> true, new AtomicReference<>(), "native logical replication");
    }

    private double awaitEqual(Connection replica, String expected, long started, java.util.function.BooleanSupplier alive,
            AtomicReference<Throwable> failure, String peer) throws Exception {
        long deadline = started + options.timeout().toNanos();
        while (!expected.equals(fingerprint(replica))) {
            if (!alive.getAsBoolean() || System.nanoTime() > deadline) {
                throw new IllegalStateException(peer + " did not bring the replica to the source's state " + expected
                        + " (it has " + fingerprint(replica) + ")", failure.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private void dropSubscription(String replica, String subscription) {
        try (Connection c = databases.connect(replica)) {
            BenchDatabases.execute(c, "ALTER SUBSCRIPTION " + subscription + " DISABLE");
            BenchDatabases.execute(c, "ALTER SUBSCRIPTION " + subscription + " SET (slot_name = NONE)");
            BenchDatabases.execute(c, "DROP SUBSCRIPTION " + subscription);
        } catch (SQLException e) {
            log.debug("could not drop subscription {}: {}", subscription, e.getMessage());
        }
    }

    /** A disabled subscription's walsender ends shortly after: the slots can only be dropped once it has. */
    private static void awaitSlotsInactive(Connection c, String... slots) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ANY (?) AND active")) {
            s.setArray(1, c.createArrayOf("text", slots));
            while (System.nanoTime() < deadline) {
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getInt(1) == 0) {
                        return;
                    }
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
        log.warn("slots {} still active after 30 s; dropping their databases may fail", String.join(", ", slots));
    }

    private static String fingerprint(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(FINGERPRINT)) {
            r.next();
            return r.getString(1);
        }
    }

    private static Lsn confirmed(Connection c, String slot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce(confirmed_flush_lsn, '0/0')::text FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Lsn.parse(r.getString(1)) : Lsn.ZERO;
            }
        }
    }

}
