package dev.pgcapture.cli;

import dev.pgcapture.agent.FatalAgentException;
import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.seed.SeedResult;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.agent.setup.Preflight;
import dev.pgcapture.agent.setup.PreflightReport;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.Readiness;
import dev.pgcapture.embedded.DataDirectories;
import dev.pgcapture.embedded.LocalPostgres;
import dev.pgcapture.embedded.LocalPulsar;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The whole system in one JVM, as {@code pgcapture standalone} runs it: a local PostgreSQL
 * (the replica, the controller's store and, without an external source, the source), an
 * in-process Pulsar broker, pg2pulsar on the source, a seeded replica with pulsar2pg and its
 * Agent service, the controller and the gateway, each on its own loopback port.
 *
 * <p>{@link #start} brings the parts up in dependency order and returns once every one runs;
 * {@link #await} returns when {@link #stop} is called or throws when an agent cannot go on;
 * {@link #close} stops everything in reverse order. Nothing committed at the source is lost
 * across a stop and a start on the same data directory: the slot, the topic and the replica's
 * checkpoint all live there.
 */
final class StandaloneSystem implements AutoCloseable {

    private static final String SOURCE_DB = "source";
    private static final String REPLICA_DB = "replica";
    private static final String STORE_DB = "pgcapture_controller";
    private static final String BOOKIE_PORT_FILE = "bookie-port";

    /**
     * What to run.
     *
     * @param dataDir where PostgreSQL and Pulsar keep their data
     * @param ephemeral wipe the data directory at start and remove it at stop
     * @param externalSource the database to capture; empty for a database of the local PostgreSQL
     * @param initSource run {@code init} on an external source that is not set up for capture
     * @param uri the consumer URI the gateway serves
     * @param gateway the gateway's address
     * @param controller the controller's address
     * @param agent the replica Agent service's address
     * @param pulsarPort the Pulsar broker's port, 0 for a free one
     * @param pulsarHttpPort the Pulsar broker's HTTP (admin) port, 0 for a free one
     * @param pgPort the local PostgreSQL's port, 0 for a free one
     * @param demoRate the demo workload's transactions a second; empty for no demo
     */
    record Settings(Path dataDir, boolean ephemeral, Optional<PostgresUrl> externalSource, boolean initSource, String uri,
                    HostPort gateway, HostPort controller, HostPort agent, int pulsarPort, int pulsarHttpPort, int pgPort,
                    Optional<Double> demoRate) {

        Settings {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(uri, "uri");
            if (uri.isBlank()) {
                throw new IllegalArgumentException("--uri must not be blank");
            }
        }

        String topic() {
            return "persistent://public/default/pgcapture-" + uri.replaceAll("[^A-Za-z0-9_.-]", "_");
        }
    }

    /** Where the running parts are, for the banner {@code standalone} prints. */
    record Endpoints(PostgresUrl source, PostgresUrl replica, String pulsarUrl, String pulsarHttpUrl, String topic,
                     HostPort gateway, HostPort controller, HostPort agent, Path dataDir) {
    }

    private final Settings settings;
    private final MeterRegistry registry;
    private final Consumer<String> progress;
    /** What {@link #close} undoes, last started first. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private Endpoints endpoints;
    private Pipeline pipeline;
    private DemoWorkload demo;

    private StandaloneSystem(Settings settings, MeterRegistry registry, Consumer<String> progress) {
        this.settings = settings;
        this.registry = registry;
        this.progress = progress;
    }

    /**
     * Starts every part. On failure, what was started is stopped again before the exception
     * leaves.
     *
     * @param registry where every part's meters go (one registry: the meters' names and tags
     *     tell the parts apart)
     * @param progress receives one line per step, for the user
     * @throws StandaloneException when a part cannot start; the message says which and why
     */
    static StandaloneSystem start(Settings settings, MeterRegistry registry, Consumer<String> progress) throws Exception {
        StandaloneSystem system = new StandaloneSystem(settings, registry, progress);
        try {
            system.startParts();
            return system;
        } catch (Exception | Error e) {
            system.close();
            throw e;
        }
    }

    Endpoints endpoints() {
        return endpoints;
    }

    /** Ready when every part is: pg2pulsar, pulsar2pg, the controller and the gateway. */
    Readiness readiness() {
        return pipeline.readiness();
    }

    /** Transactions the demo workload committed, 0 without a demo. */
    long demoTransactions() {
        return demo == null ? 0 : demo.transactions();
    }

    /**
     * Waits until {@link #stop} is called.
     *
     * @throws FatalAgentException when pg2pulsar or pulsar2pg stopped because it cannot go on
     */
    void await() throws Exception {
        try {
            finished.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Makes {@link #await} return; any thread may call it. */
    void stop() {
        finished.complete(null);
    }

    private void startParts() throws Exception {
        Path dataDir = settings.dataDir().toAbsolutePath();
        if (settings.ephemeral()) {
            DataDirectories.delete(dataDir);
            started.push(() -> DataDirectories.delete(dataDir));
        }
        Files.createDirectories(dataDir);

        progress.accept("starting PostgreSQL (data in " + dataDir.resolve("postgres") + ")");
        LocalPostgres postgres = LocalPostgres.start(new LocalPostgres.Settings(dataDir.resolve("postgres"), settings.pgPort(), false,
                !settings.ephemeral()));
        started.push(postgres);
        PostgresUrl replica = localDatabase(postgres, REPLICA_DB);
        PostgresUrl store = localDatabase(postgres, STORE_DB);
        PostgresUrl source = settings.externalSource().isPresent() ? settings.externalSource().get() : localDatabase(postgres, SOURCE_DB);

        if (settings.demoRate().isPresent()) {
            progress.accept("creating the demo schema in " + source);
            DemoWorkload.createSchema(source);
        }
        prepareSource(source, settings.externalSource().isEmpty() || settings.initSource());

        progress.accept("starting Pulsar (data in " + dataDir.resolve("pulsar") + ")");
        LocalPulsar pulsar = LocalPulsar.start(new LocalPulsar.Settings(dataDir.resolve("pulsar"), "127.0.0.1", settings.pulsarPort(),
                settings.pulsarHttpPort(), bookiePort(dataDir), false));
        started.push(pulsar);

        seedIfNew(source, replica);

        Pipeline pipeline = Pipeline.start(new Pipeline.Settings(source, replica, store, pulsar.serviceUrl(), pulsar.httpUrl(),
                CaptureSettings.defaults(), settings.topic(), List.of(settings.uri()), true, settings.gateway().bindAddress(),
                settings.controller().bindAddress(), settings.agent().bindAddress(), registry), progress, failure ->
                finished.completeExceptionally(failure instanceof FatalAgentException ? failure
                        : new StandaloneException("an agent failed: " + failure, failure)));
        started.push(pipeline);
        this.pipeline = pipeline;

        if (settings.demoRate().isPresent()) {
            demo = DemoWorkload.start(source, settings.demoRate().get());
            started.push(demo);
        }
        endpoints = new Endpoints(source, replica, pulsar.serviceUrl(), pulsar.httpUrl(), settings.topic(), settings.gateway(),
                settings.controller(), settings.agent(), dataDir);
    }

    /** The database {@code name} of the local server, created if missing. */
    private static PostgresUrl localDatabase(LocalPostgres postgres, String name) throws SQLException {
        String base = "postgres://" + LocalPostgres.SUPERUSER + "@" + postgres.host() + ":" + postgres.port() + "/";
        try (Connection c = PostgresUrl.parse(base + "postgres").connect()) {
            boolean exists;
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
            }
        }
        return PostgresUrl.parse(base + name);
    }

    /**
     * Makes sure the source is set up for capture: runs {@code init} where it is allowed to, and
     * otherwise refuses, naming what is missing and the command that sets it up.
     */
    private void prepareSource(PostgresUrl source, boolean mayInit) throws SQLException, StandaloneException {
        CaptureSetup.Settings setup = CaptureSetup.Settings.defaults();
        PreflightReport report;
        try (Connection c = source.connect()) {
            report = new Preflight(setup).run(c);
        }
        if (report.failed()) {
            StringBuilder message = new StringBuilder("the source " + source + " cannot be captured as it is:");
            report.lines(PreflightReport.Status.FAIL).forEach(line -> message.append("\n  ").append(line));
            throw new StandaloneException(message.toString());
        }
        if (report.lines(PreflightReport.Status.NOT_INITIALIZED).isEmpty()) {
            return;
        }
        if (!mayInit) {
            StringBuilder message = new StringBuilder("the source " + source + " is not set up for capture:");
            report.lines(PreflightReport.Status.NOT_INITIALIZED).forEach(line -> message.append("\n  ").append(line));
            message.append("\nGive --init to let standalone run `pgcapture init` on it (event triggers, the pgcapture schema, a "
                    + "publication and a replication slot), or run `pgcapture init --pg-url …` yourself first.");
            throw new StandaloneException(message.toString());
        }
        progress.accept("setting the source up for capture (pgcapture init)");
        try (Connection c = source.connect()) {
            new CaptureSetup(setup).init(c).actions().forEach(action -> progress.accept("  " + action));
        }
    }

    /** Seeds the replica from the source unless it already holds a checkpoint (a restart on the same data). */
    private void seedIfNew(PostgresUrl source, PostgresUrl replica) throws SQLException, InterruptedException {
        try (Connection c = replica.connect()) {
            Optional<ReplicaPosition> position = ReplicaPosition.find(c);
            if (position.isPresent()) {
                progress.accept("the replica is already seeded; it goes on from checkpoint " + position.get().checkpoint());
                return;
            }
        }
        progress.accept("seeding the replica from the source");
        SeedResult result = new Seeder(SeedSettings.of(source, replica), line -> progress.accept("  " + line)).run();
        long rows = result.tables().stream().mapToLong(SeedResult.SeededTable::rows).sum();
        progress.accept("  seeded " + result.tables().size() + " table(s), " + rows + " rows, consistent point " + result.consistentPoint());
    }

    /**
     * The bookie's port: its identity includes it, so a data directory keeps the port it was
     * first given (a free one, remembered in a file next to the data).
     */
    private static int bookiePort(Path dataDir) throws IOException {
        Path file = dataDir.resolve(BOOKIE_PORT_FILE);
        if (Files.isRegularFile(file)) {
            return Integer.parseInt(Files.readString(file).strip());
        }
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(file, port + "\n");
        return port;
    }

    /** Stops every part, last started first; the first failure is thrown after all were tried. */
    @Override
    public void close() throws Exception {
        Closing.all(started);
    }

    /** A part of the standalone system cannot start or run; the message says which and why. */
    static final class StandaloneException extends Exception {
        StandaloneException(String message) {
            super(message);
        }

        StandaloneException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
