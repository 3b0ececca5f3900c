package dev.pgcapture.agent;

import dev.pgcapture.agent.pulsar.TopicSource;
import dev.pgcapture.agent.replica.ApplySettings;
import dev.pgcapture.agent.replica.DumpInterlock;
import dev.pgcapture.agent.replica.ReplicaMetrics;
import dev.pgcapture.agent.replica.ReplicaSink;
import dev.pgcapture.agent.replica.TableReseeder;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.Readiness;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;

/**
 * The replica agent: a capture topic applied to a logical replica, whole source transactions in
 * commit order, the replica's checkpoint written with the data it covers. Wires a
 * {@link TopicSource} to a {@link ReplicaSink} under an {@link AgentRunner}: a lost connection is
 * retried with backoff from the replica's checkpoint; a change that cannot be applied, a second
 * applier on the replica or a replica never seeded end the run with a {@link FatalAgentException}.
 *
 * <p>Ready ({@link Readiness}) while a session reads the topic with a connected reader and
 * applies; its {@link ReplicaMetrics} go to the registry it is given.
 */
public final class Pulsar2Pg implements Readiness {

    /**
     * What to apply and where.
     *
     * @param replica the replica database
     * @param pulsarUrl the broker's service URL, {@code pulsar://host:6650}
     * @param topic the capture topic, as pg2pulsar writes it
     * @param apply how many source transactions go into one replica transaction, and for how long at most
     */
    public record Settings(PostgresUrl replica, String pulsarUrl, String topic, ApplySettings apply) {

        public Settings {
            Objects.requireNonNull(replica, "replica");
            Objects.requireNonNull(apply, "apply");
            if (pulsarUrl == null || !pulsarUrl.matches("pulsar(\\+ssl)?://.+")) {
                throw new IllegalArgumentException("Pulsar URL \"" + pulsarUrl + "\" must look like pulsar://host:6650 or pulsar+ssl://host:6651");
            }
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("a topic is required");
            }
        }
    }

    private final Settings settings;
    private final AgentRunner.Backoff backoff;
    private final DumpInterlock interlock;
    private final TableReseeder reseeder;
    private final MeterRegistry registry;
    private volatile AgentRunner runner;
    private volatile boolean stopRequested;

    /**
     * @param interlock the dump service's, so that TRUNCATE and DDL cancel dumps instead of waiting
     *     for them; {@link DumpInterlock#NONE} without one
     * @param reseeder seeds tables the source rewrote; null to log the command to run instead
     */
    public Pulsar2Pg(Settings settings, AgentRunner.Backoff backoff, DumpInterlock interlock, TableReseeder reseeder) {
        this(settings, backoff, interlock, reseeder, new CompositeMeterRegistry());
    }

    /** An applier that registers its meters in {@code registry} (when {@link #run} starts). */
    public Pulsar2Pg(Settings settings, AgentRunner.Backoff backoff, DumpInterlock interlock, TableReseeder reseeder,
            MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.interlock = Objects.requireNonNull(interlock, "interlock");
        this.reseeder = reseeder;
    }

    /**
     * Applies until {@link #stop}; on return the batch in progress is committed (when it holds
     * only whole source transactions) and every connection is closed.
     *
     * @throws FatalAgentException when applying cannot go on (the message says why)
     */
    public void run() throws FatalAgentException, InterruptedException, PulsarClientException {
        try (PulsarClient client = PulsarClient.builder().serviceUrl(settings.pulsarUrl()).build()) {
            String name = "pulsar2pg (topic " + settings.topic() + " to " + settings.replica() + ")";
            ReplicaMetrics metrics = ReplicaMetrics.register(registry, settings.topic(), settings.replica().toString(), Clock.systemUTC());
            AgentRunner agent = new AgentRunner(name,
                    () -> new TopicSource(client, settings.topic()),
                    () -> new ReplicaSink(settings.replica(), settings.apply(), interlock, reseeder, metrics),
                    backoff);
            runner = agent;
            if (stopRequested) {
                return;
            }
            agent.run();
        }
    }

    @Override
    public Optional<String> whyNotReady() {
        AgentRunner agent = runner;
        return agent == null ? Optional.of(stopRequested ? "stopped" : "not started") : agent.whyNotReady();
    }

    /** Asks {@link #run} to finish cleanly; returns at once. */
    public void stop() {
        stopRequested = true;
        AgentRunner agent = runner;
        if (agent != null) {
            agent.stop();
        }
    }
}
