package dev.pgcapture.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgcapture.agent.DdlReplica.TableShape;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.agent.dump.AgentService;
import dev.pgcapture.agent.dump.DumpLimits;
import dev.pgcapture.agent.dump.DumpRegistry;
import dev.pgcapture.agent.pulsar.TopicReader;
import dev.pgcapture.agent.replica.ApplySettings;
import dev.pgcapture.agent.replica.ReplicaCatalog;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.agent.seed.SeedResult;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.AgentGrpc;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A logical replica kept by the real pieces, for end-to-end tests: the source initialised and
 * captured by pg2pulsar into a topic ({@link CaptureFixture}); the replica seeded by
 * {@link Seeder}; {@link Pulsar2Pg} applying the topic on a thread, with a {@link DumpRegistry} as
 * its dump interlock and a reseeder that copies a table the source rewrote again through
 * {@link Seeder#reseed}; and the {@link AgentService} on an in-process {@link GrpcServer} sharing
 * that registry.
 */
public final class ReplicaPipeline implements AutoCloseable {

    static final Duration WAIT = Duration.ofMinutes(2);
    static final DumpLimits LIMITS = new DumpLimits(8, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMillis(20),
            Duration.ofSeconds(5), 64L << 20);

    private final TestDatabase source;
    private final TestDatabase replica;
    private final TestPulsar pulsar;
    private final CaptureFixture capture;
    private final DumpRegistry registry;
    private final AgentService service;
    private final GrpcServer server;
    private final ManagedChannel channel;
    private final TopicReader tail;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The tables the applier had seeded again, in order. */
    final List<TableName> reseeded = new CopyOnWriteArrayList<>();
    /** Run once by the reseeder before it copies a table, to change the source in that window. */
    private final AtomicReference<SourceWork> beforeReseed = new AtomicReference<>();
    private Checkpoint lastCommit;
    private Pulsar2Pg applier;
    private Thread thread;

    private ReplicaPipeline(TestDatabase source, TestDatabase replica, TestPulsar pulsar, CaptureFixture capture) throws Exception {
        this.source = source;
        this.replica = replica;
        this.pulsar = pulsar;
        this.capture = capture;
        this.registry = new DumpRegistry(url(replica), LIMITS.cancelGrace());
        String name = InProcessServerBuilder.generateName();
        this.service = new AgentService(url(replica), Clock.systemUTC(), LIMITS, registry);
        this.server = new GrpcServer(InProcessServerBuilder.forName(name).directExecutor(), service).start();
        this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        this.tail = TopicReader.fromEarliest(pulsar.client(), capture.topic());
    }

    /** Initialises and captures {@code source} and serves dumps of {@code replica}; neither seeded nor applying yet. */
    static ReplicaPipeline capture(TestDatabase source, TestDatabase replica, TestPulsar pulsar) throws Exception {
        CaptureFixture capture = CaptureFixture.start(source, pulsar);
        try {
            return new ReplicaPipeline(source, replica, pulsar, capture);
        } catch (Exception e) {
            capture.close();
            throw e;
        }
    }

    /** {@link #capture}, {@link #seed} and {@link #startApplier}. */
    public static ReplicaPipeline start(TestDatabase source, TestDatabase replica, TestPulsar pulsar) throws Exception {
        ReplicaPipeline pipeline = capture(source, replica, pulsar);
        try {
            pipeline.seed();
            pipeline.startApplier();
            return pipeline;
        } catch (Exception | AssertionError e) {
            pipeline.close();
            throw e;
        }
    }

    /** Runs {@code pgcapture seed} of every published table. */
    SeedResult seed() throws Exception {
        return new Seeder(SeedSettings.of(url(source), url(replica)).withSlotWait(Duration.ofSeconds(30)), line -> { }).run();
    }

    void startApplier() {
        Pulsar2Pg.Settings settings = new Pulsar2Pg.Settings(url(replica), pulsar.serviceUrl(), capture.topic(), ApplySettings.defaults());
        applier = new Pulsar2Pg(settings, new AgentRunner.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), registry, this::reseed);
        failure.set(null);
        thread = Thread.ofPlatform().name("pulsar2pg-" + replica.name()).start(() -> {
            try {
                applier.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
    }

    /** The reseeder: {@link Seeder#reseed} in the applier's transaction (the applier cancels the table's dumps first). */
    private ReplicaTables.Table reseed(Connection c, ReplicaTables tables, TableStructure table) throws Exception {
        SourceWork before = beforeReseed.getAndSet(null);
        if (before != null) {
            before.run();
        }
        ReplicaTables.Table seeded = Seeder.reseed(url(source), c, tables, table, Duration.ofSeconds(30));
        reseeded.add(table.name());
        return seeded;
    }

    /** Work on the source, for {@link #beforeNextReseed}. */
    @FunctionalInterface
    interface SourceWork {
        void run() throws Exception;
    }

    /** Runs {@code work} once, when the applier next asks for a table to be seeded again, before the copy's snapshot. */
    void beforeNextReseed(SourceWork work) {
        beforeReseed.set(work);
    }

    public CaptureFixture capture() {
        return capture;
    }

    DumpRegistry registry() {
        return registry;
    }

    AgentService service() {
        return service;
    }

    public AgentGrpc.AgentStub agent() {
        return AgentGrpc.newStub(channel);
    }

    /** Fails the test with the applier's failure, if it has stopped on one. */
    public void checkApplier() {
        Throwable failed = failure.get();
        if (failed != null) {
            throw new AssertionError("pulsar2pg failed", failed);
        }
    }

    /**
     * Waits until the topic holds everything committed on the source so far, the replica has
     * applied it all and no table waits for a seed; returns the topic's last Commit checkpoint.
     */
    public Checkpoint awaitCaughtUp() throws Exception {
        capture.awaitConfirmedAtLeast(ReplicaFixture.insertLsn(source));
        Checkpoint last = lastCommit();
        await("the replica applying through " + last).atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            checkApplier();
            return !position().checkpoint().lsn().isBefore(last.lsn()) && tablesNeedingSeed() == 0;
        });
        return last;
    }

    /** The last Commit the topic holds now. */
    public Checkpoint lastCommit() throws Exception {
        Optional<SourceMessage> message;
        while ((message = tail.nextAvailable(Duration.ofSeconds(30))).isPresent()) {
            if (message.get().message().hasCommit()) {
                lastCommit = message.get().checkpoint();
            }
        }
        if (lastCommit == null) {
            fail("topic " + capture.topic() + " holds no Commit");
        }
        return lastCommit;
    }

    ReplicaPosition position() throws SQLException {
        try (Connection c = replica.connect()) {
            return ReplicaPosition.read(c).orElseThrow(() -> new AssertionError("the replica holds no checkpoint"));
        }
    }

    private long tablesNeedingSeed() throws SQLException {
        try (Connection c = replica.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pgcapture.tables WHERE needs_seed")) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * Asserts that the replica holds exactly the source's tables, each with the source's
     * structure (as {@code pgcapture.table_structure} and {@link ReplicaCatalog} describe them,
     * OIDs and attnums aside) and the same rows.
     */
    void assertReplicaEqualsSource() throws SQLException {
        Map<TableName, TableShape> expected = new TreeMap<>(Comparator.comparing(TableName::quoted));
        try (Connection c = source.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pgcapture.table_structure(coalesce(array_agg(c.oid), '{}'))::text FROM pg_class c "
                        + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
                        + "AND n.nspname NOT IN ('information_schema', 'pgcapture') AND n.nspname NOT LIKE 'pg\\_%'")) {
            r.next();
            TableStructure.parseAll(r.getString(1)).values().forEach(t -> expected.put(t.name(), TableShape.of(t)));
        }
        Map<TableName, TableShape> actual = new TreeMap<>(Comparator.comparing(TableName::quoted));
        try (Connection c = replica.connect()) {
            for (TableName name : userTables(c)) {
                actual.put(name, TableShape.of(ReplicaCatalog.table(c, name).orElseThrow()));
            }
        }
        assertEquals(expected, actual, "the replica's tables and their structure");
        for (TableName table : expected.keySet()) {
            assertSameRows(table);
        }
    }

    /** Asserts that {@code table} holds the same rows on the replica as on the source. */
    void assertSameRows(TableName table) throws SQLException {
        List<String> expected = ReplicaFixture.rows(source, table.quoted());
        List<String> actual = ReplicaFixture.rows(replica, table.quoted());
        if (expected.equals(actual)) {
            return;
        }
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<String> extra = new ArrayList<>(actual);
        extra.removeAll(expected);
        fail("table " + table + ": " + actual.size() + " rows on the replica, " + expected.size() + " on the source; missing "
                + missing.subList(0, Math.min(5, missing.size())) + ", extra " + extra.subList(0, Math.min(5, extra.size())));
    }

    private static List<TableName> userTables(Connection c) throws SQLException {
        List<TableName> names = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('information_schema', 'pgcapture') "
                        + "AND n.nspname NOT LIKE 'pg\\_%'")) {
            while (r.next()) {
                names.add(new TableName(r.getString(1), r.getString(2)));
            }
        }
        return names;
    }

    static PostgresUrl url(TestDatabase db) {
        return PostgresUrl.parse(db.jdbcUrl());
    }

    @Override
    public void close() throws Exception {
        try {
            if (thread != null && thread.isAlive()) {
                applier.stop();
                thread.join(WAIT.toMillis());
                if (thread.isAlive()) {
                    fail("pulsar2pg did not stop within " + WAIT);
                }
            }
        } finally {
            try {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.shutdown(Duration.ofSeconds(5));
            } finally {
                try {
                    tail.close();
                } finally {
                    capture.close();
                }
            }
        }
    }
}
