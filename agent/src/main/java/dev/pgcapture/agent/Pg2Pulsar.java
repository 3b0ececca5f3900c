package dev.pgcapture.agent;

import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.capture.ReplicationSource;
import dev.pgcapture.agent.capture.SlotLag;
import dev.pgcapture.agent.pulsar.PublishMetrics;
import dev.pgcapture.agent.pulsar.PulsarSink;
import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.agent.setup.DdlLogs;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.Readiness;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture agent: a PostgreSQL replication slot published to a Pulsar topic, one copy of
 * every change, in commit order. Wires a {@link ReplicationSource} to a {@link PulsarSink}
 * under an {@link AgentRunner}, and prunes {@code pgcapture.ddl_logs} rows older than
 * {@link Settings#ddlLogsKeep()} (decoding reads the WAL, so a pruned row is never missed).
 *
 * <p>Ready ({@link Readiness}) while a session streams from the slot and the producer is
 * connected. Its meters ({@link PublishMetrics}, {@link SlotLag}, sampled every
 * {@value #SLOT_LAG_SECONDS} seconds) go to the registry it is given, tagged with the slot and topic.
 */
public final class Pg2Pulsar implements Readiness {

    private static final Logger log = LoggerFactory.getLogger(Pg2Pulsar.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    static final int SLOT_LAG_SECONDS = 5;

    /**
     * What to capture and where to publish it.
     *
     * @param source the source database
     * @param capture slot, publication and value format
     * @param pulsarUrl the broker's service URL, {@code pulsar://host:6650}
     * @param pulsarAdminUrl the broker's web service URL, {@code http://host:8080}, for the
     *     topic's deduplication and retention policies
     * @param sink the topic and how to publish to it
     * @param ddlLogsKeep how long DDL events stay in {@code pgcapture.ddl_logs} after they are written
     */
    public record Settings(PostgresUrl source, CaptureSettings capture, String pulsarUrl, String pulsarAdminUrl,
                           PulsarSinkSettings sink, Duration ddlLogsKeep) {

        public Settings {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(capture, "capture");
            Objects.requireNonNull(sink, "sink");
            Objects.requireNonNull(ddlLogsKeep, "ddlLogsKeep");
            if (pulsarUrl == null || !pulsarUrl.matches("pulsar(\\+ssl)?://.+")) {
                throw new IllegalArgumentException("Pulsar URL \"" + pulsarUrl + "\" must look like pulsar://host:6650 or pulsar+ssl://host:6651");
            }
            if (pulsarAdminUrl == null || !pulsarAdminUrl.matches("https?://.+")) {
                throw new IllegalArgumentException("Pulsar admin URL \"" + pulsarAdminUrl + "\" must look like http://host:8080 or https://host:8443");
            }
            if (ddlLogsKeep.isNegative()) {
                throw new IllegalArgumentException("DDL log retention must not be negative, was " + ddlLogsKeep);
            }
        }
    }

    private final Settings settings;
    private final AgentRunner.Backoff backoff;
    private final MeterRegistry registry;
    private volatile AgentRunner runner;
    private volatile boolean stopRequested;

    /** An agent whose meters go nowhere. */
    public Pg2Pulsar(Settings settings, AgentRunner.Backoff backoff) {
        this(settings, backoff, new CompositeMeterRegistry());
    }

    /** An agent that registers its meters in {@code registry} (when {@link #run} starts). */
    public Pg2Pulsar(Settings settings, AgentRunner.Backoff backoff, MeterRegistry registry) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Optional<String> whyNotReady() {
        AgentRunner agent = runner;
        return agent == null ? Optional.of(stopRequested ? "stopped" : "not started") : agent.whyNotReady();
    }

    /**
     * Captures until {@link #stop}; on return every change the sink acknowledged is confirmed to
     * the slot and every connection is closed.
     *
     * @throws FatalAgentException when capture cannot go on (the message says why and what to do)
     */
    public void run() throws FatalAgentException, InterruptedException, PulsarClientException {
        try (PulsarClient client = PulsarClient.builder().serviceUrl(settings.pulsarUrl()).build();
             PulsarAdmin admin = PulsarAdmin.builder().serviceHttpUrl(settings.pulsarAdminUrl()).build()) {
            String name = "pg2pulsar (slot " + settings.capture().slot() + " of " + settings.source()
                    + " to topic " + settings.sink().topic() + ")";
            PublishMetrics metrics = PublishMetrics.register(registry, settings.capture().slot(), settings.sink().topic(),
                    Clock.systemUTC());
            AgentRunner agent = new AgentRunner(name,
                    () -> new ReplicationSource(settings.source(), settings.capture()),
                    () -> new PulsarSink(client, admin, settings.sink(), metrics),
                    backoff);
            runner = agent;
            if (stopRequested) {
                return;
            }
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("pg2pulsar-housekeeping").factory());
            housekeeping.scheduleWithFixedDelay(this::pruneDdlLogs, 0, PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            SlotLag slotLag = SlotLag.register(registry, settings.source(), settings.capture().slot());
            housekeeping.scheduleWithFixedDelay(slotLag::sample, 0, SLOT_LAG_SECONDS, TimeUnit.SECONDS);
            try {
                agent.run();
            } finally {
                housekeeping.shutdownNow();
                slotLag.close();
            }
        }
    }

    /** Asks {@link #run} to finish cleanly; returns at once. */
    public void stop() {
        stopRequested = true;
        AgentRunner agent = runner;
        if (agent != null) {
            agent.stop();
        }
    }

    private void pruneDdlLogs() {
        try (Connection connection = settings.source().connect()) {
            int pruned = DdlLogs.prune(connection, settings.ddlLogsKeep());
            if (pruned > 0) {
                log.info("pruned {} DDL events older than {} from {}", pruned, settings.ddlLogsKeep(), DdlLogs.TABLE);
            }
        } catch (SQLException e) {
            log.warn("could not prune {}: {}", DdlLogs.TABLE, e.getMessage());
        }
    }
}
