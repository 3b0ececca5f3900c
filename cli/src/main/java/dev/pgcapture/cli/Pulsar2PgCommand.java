package dev.pgcapture.cli;

import dev.pgcapture.agent.AgentRunner;
import dev.pgcapture.agent.Pulsar2Pg;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.core.grpc.ServerSecurity;
import dev.pgcapture.agent.dump.AgentService;
import dev.pgcapture.agent.dump.DumpLimits;
import dev.pgcapture.agent.dump.DumpRegistry;
import dev.pgcapture.agent.replica.ApplySettings;
import dev.pgcapture.agent.replica.TableReseeder;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.core.PostgresUrl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture pulsar2pg}: the replica agent. Applies the capture topic to a seeded replica
 * until SIGTERM or Ctrl-C, then commits the batch it holds and exits; exit code 1 when a change
 * cannot be applied, another applier holds the replica, or the replica was never seeded.
 */
@Command(name = "pulsar2pg", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Apply a capture topic to a logical replica: whole source transactions in commit order, under the "
                + "replication origin 'pgcapture', the replica's checkpoint (pgcapture.sources) written in the same "
                + "transaction as the data. Seed the replica first (pgcapture seed). Stops cleanly on SIGTERM or Ctrl-C.")
final class Pulsar2PgCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Pulsar2PgCommand.class);
    private static final Duration SERVICE_SHUTDOWN = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    ObservabilityOptions observability;

    @Option(names = "--pg-url", paramLabel = "URL",
            description = "The replica database: postgres://user:password@host:port/db, postgresql://… or jdbc:postgresql://… (required).")
    String pgUrl;

    @Option(names = "--pulsar-url", paramLabel = "URL", description = "The Pulsar broker's service URL, pulsar://host:6650 (required).")
    String pulsarUrl;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "The capture topic pg2pulsar writes: persistent://tenant/namespace/name, or a name in public/default (required).")
    String topic;

    @Option(names = "--source-url", paramLabel = "URL",
            description = "The source database, to seed again a table the source rewrote (default: log the seed command to run).")
    String sourceUrl;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + ApplySettings.DEFAULT_BATCH_SIZE,
            description = "At most this many source transactions per replica transaction.")
    int batchSize;

    @Option(names = "--batch-delay", paramLabel = "DURATION", defaultValue = "200ms", converter = DurationConverter.class,
            description = "A replica transaction is committed at the latest this long after its first source transaction.")
    Duration batchDelay;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Serve the Agent gRPC service (dumps of this replica) on this address, e.g. 0.0.0.0:10001 (default: none).")
    String listen;

    @Mixin
    ServerSecurityOptions serverSecurity;

    @Override
    public Integer call() throws Exception {
        Pulsar2Pg.Settings settings = settings();
        Optional<InetSocketAddress> listenAddress = listenAddress();
        if (listenAddress.isEmpty() && serverSecurity.any()) {
            throw usage("--tls-cert, --tls-key, --tls-client-ca, --tls-client-auth and --auth-token-file protect the Agent service: give --listen too");
        }
        ServerSecurity serving = serverSecurity.security();
        Optional<PostgresUrl> source = Optional.ofNullable(sourceUrl).filter(url -> !url.isBlank()).map(url -> parseUrl("--source-url", url));
        Observability observed;
        try {
            observed = observability.start();
        } catch (IOException e) {
            return observability.failed("pulsar2pg", e);
        }
        try (observed) {
            observed.logStart("pulsar2pg applying topic " + settings.topic() + " at " + settings.pulsarUrl() + " to the replica "
                    + settings.replica() + listenAddress.map(a -> ", Agent gRPC service on " + a.getHostString() + ":" + a.getPort()
                    + " (" + serving + ")").orElse(", no Agent gRPC service") + source.map(url -> ", tables re-seeded from " + url).orElse(""));
            DumpRegistry dumps = new DumpRegistry(settings.replica(), DumpLimits.defaults().cancelGrace());
            AutoCloseable agentService = startAgentService(listenAddress, serving, settings, dumps);
            TableReseeder reseeder = source.map(url -> Seeder.reseeder(url, SeedSettings.DEFAULT_SLOT_WAIT)).orElse(null);
            Pulsar2Pg agent = new Pulsar2Pg(settings, AgentRunner.Backoff.standard(), dumps, reseeder, observed.registry());
            observed.ready(agent);
            try (agentService) {
                return Foreground.run("pulsar2pg", agent::run, agent::stop, spec.commandLine().getErr());
            }
        }
    }

    /** Starts the Agent gRPC service (dumps of the replica) on {@code listen}, if given; returns what stops it. */
    private AutoCloseable startAgentService(Optional<InetSocketAddress> listen, ServerSecurity security, Pulsar2Pg.Settings settings,
            DumpRegistry dumps)
            throws IOException {
        if (listen.isEmpty()) {
            return () -> { };
        }
        InetSocketAddress address = new InetSocketAddress(listen.get().getHostString(), listen.get().getPort());
        GrpcServer server = GrpcServer.on(address, security, new AgentService(settings.replica(), Clock.systemUTC(), DumpLimits.defaults(), dumps));
        try {
            server.start();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + listen.get().getHostString() + ":" + listen.get().getPort() + ": " + e.getMessage(), e);
        }
        log.info("Agent gRPC service listening on {}:{} ({}; dumps of {})", address.getHostString(), server.port(), security, settings.replica());
        return () -> server.shutdown(SERVICE_SHUTDOWN);
    }

    private Pulsar2Pg.Settings settings() {
        PostgresUrl replica = parseUrl("--pg-url", OptionValues.required(spec, pgUrl, "--pg-url=URL", "PGCAPTURE_PG_URL"));
        String fullTopic = OptionValues.required(spec, topic, "--topic=TOPIC", "PGCAPTURE_TOPIC");
        if (!fullTopic.contains("://")) {
            fullTopic = "persistent://public/default/" + fullTopic;
        }
        try {
            ApplySettings apply = new ApplySettings(batchSize, batchDelay);
            return new Pulsar2Pg.Settings(replica, OptionValues.required(spec, pulsarUrl, "--pulsar-url=URL", "PGCAPTURE_PULSAR_URL"), fullTopic, apply);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The parsed {@code --listen}, or empty; a malformed address is a usage error. */
    Optional<InetSocketAddress> listenAddress() {
        if (listen == null || listen.isBlank()) {
            return Optional.empty();
        }
        try {
            HostPort address = HostPort.parse("--listen", listen, "0.0.0.0");
            return Optional.of(InetSocketAddress.createUnresolved(address.host(), address.port()));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private PostgresUrl parseUrl(String option, String url) {
        try {
            return PostgresUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }


    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
