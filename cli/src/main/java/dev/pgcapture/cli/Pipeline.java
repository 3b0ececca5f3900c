package dev.pgcapture.cli;

import dev.pgcapture.agent.AgentRunner;
import dev.pgcapture.agent.Pg2Pulsar;
import dev.pgcapture.agent.Pulsar2Pg;
import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.dump.AgentService;
import dev.pgcapture.agent.dump.DumpLimits;
import dev.pgcapture.agent.dump.DumpRegistry;
import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.agent.replica.ApplySettings;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.controller.AgentLookup;
import dev.pgcapture.controller.ControllerService;
import dev.pgcapture.controller.ControllerSettings;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.Readiness;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.GrpcChannels;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.gateway.GatewayService;
import dev.pgcapture.gateway.GatewaySettings;
import dev.pgcapture.gateway.dump.AgentDumper;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.pulsar.PulsarSourceSettings;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import dev.pgcapture.gateway.resolve.StaticResolver;
import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * pgcapture's running parts in this JVM, over a source set up for capture, a seeded replica, a
 * controller store and a Pulsar broker: pg2pulsar, pulsar2pg with its Agent service, the
 * controller and the gateway, each gRPC service on its own address (port 0 picks a free one).
 * {@code pgcapture standalone} runs one around a local PostgreSQL and broker; the benchmarks run
 * one around theirs.
 *
 * <p>{@link #start} returns once every part runs; an agent that stops on a failure is reported
 * to the {@code onFailure} callback; {@link #close} stops the parts in reverse order: the
 * gateway first, the capture agent last.
 */
public final class Pipeline implements AutoCloseable {

    private static final Duration SERVER_SHUTDOWN = Duration.ofSeconds(5);

    /**
     * What to run, over what.
     *
     * @param source the source database, set up for capture ({@code init})
     * @param replica the replica database, seeded ({@code seed})
     * @param store the controller's database
     * @param pulsarUrl the broker's service URL
     * @param pulsarHttpUrl the broker's web service URL
     * @param capture the slot, publication and value format of the source
     * @param topic the capture topic
     * @param uris the consumer URIs the gateway serves, each with its own subscription
     *     ({@code <uri>-subscription}) and dumps from this pipeline's replica
     * @param reseedFromSource whether pulsar2pg seeds again a table the source rewrote
     * @param gateway the gateway's address
     * @param controller the controller's address
     * @param agent the replica Agent service's address
     * @param registry where every part's meters go
     */
    public record Settings(PostgresUrl source, PostgresUrl replica, PostgresUrl store, String pulsarUrl, String pulsarHttpUrl,
                           CaptureSettings capture, String topic, List<String> uris, boolean reseedFromSource,
                           InetSocketAddress gateway, InetSocketAddress controller, InetSocketAddress agent, MeterRegistry registry) {

        public Settings {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(replica, "replica");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(capture, "capture");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(registry, "registry");
            uris = List.copyOf(uris);
            if (uris.isEmpty()) {
                throw new IllegalArgumentException("a pipeline serves at least one consumer URI");
            }
        }
    }

    /** A part cannot start; the message names it and the reason. */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Settings settings;
    private final Consumer<Throwable> onFailure;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, Readiness> parts = new LinkedHashMap<>();
    private int gatewayPort;
    private int controllerPort;
    private int agentPort;

    private Pipeline(Settings settings, Consumer<Throwable> onFailure) {
        this.settings = settings;
        this.onFailure = onFailure;
    }

    /**
     * Starts every part; on failure, what had started is stopped again.
     *
     * @param progress receives a line as each part comes up
     * @param onFailure receives the failure of pg2pulsar or pulsar2pg, once per agent, on its thread
     * @throws StartException when a server cannot listen on its address
     */
    public static Pipeline start(Settings settings, Consumer<String> progress, Consumer<Throwable> onFailure) throws Exception {
        Pipeline pipeline = new Pipeline(settings, onFailure);
        try {
            pipeline.startParts(progress);
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    private void startParts(Consumer<String> progress) throws Exception {
        MeterRegistry registry = settings.registry();
        Pg2Pulsar capture = new Pg2Pulsar(new Pg2Pulsar.Settings(settings.source(), settings.capture(), settings.pulsarUrl(),
                settings.pulsarHttpUrl(), PulsarSinkSettings.forTopic(settings.topic()), Duration.ofDays(1)), AgentRunner.Backoff.standard(),
                registry);
        runInBackground("pg2pulsar", capture::run, capture::stop);
        parts.put("pg2pulsar", capture);
        progress.accept("pg2pulsar started");

        DumpRegistry dumps = new DumpRegistry(settings.replica(), DumpLimits.defaults().cancelGrace());
        agentPort = serve(settings.agent(), "replica Agent service",
                new AgentService(settings.replica(), Clock.systemUTC(), DumpLimits.defaults(), dumps), progress);
        Pulsar2Pg apply = new Pulsar2Pg(new Pulsar2Pg.Settings(settings.replica(), settings.pulsarUrl(), settings.topic(), ApplySettings.defaults()),
                AgentRunner.Backoff.standard(), dumps,
                settings.reseedFromSource() ? Seeder.reseeder(settings.source(), SeedSettings.DEFAULT_SLOT_WAIT) : null, registry);
        runInBackground("pulsar2pg", apply::run, apply::stop);
        parts.put("pulsar2pg", apply);
        progress.accept("pulsar2pg started");

        String agentUrl = hostOf(settings.agent()) + ":" + agentPort;
        Map<String, ResolverConfig.Entry> entries = new LinkedHashMap<>();
        for (String uri : settings.uris()) {
            entries.put(uri, new ResolverConfig.Entry(settings.pulsarUrl(), settings.topic(), uri + "-subscription", Optional.of(agentUrl)));
        }
        ResolverConfig resolverConfig = ResolverConfig.of(entries);
        ControllerService controller = ControllerService.open(settings.store(), AgentLookup.of(resolverConfig, "the pipeline"),
                Clock.systemUTC(), ControllerSettings.defaults(), registry);
        controllerPort = serve(settings.controller(), "controller", controller, progress);
        parts.put("controller", controller);

        GrpcChannels agents = new GrpcChannels();
        started.push(agents);
        ManagedChannel controllerChannel = GrpcChannels.open(hostOf(settings.controller()) + ":" + controllerPort);
        started.push(() -> GrpcChannels.shutdown(controllerChannel));
        StaticResolver resolver = new StaticResolver(resolverConfig, new PulsarSources(PulsarSourceSettings.defaults(), Clock.systemUTC()),
                PulsarClients.withDefaults(), url -> new AgentDumper(agents.get(url), AgentDumper.Settings.defaults()));
        started.push(resolver);
        GatewayService gateway = new GatewayService(resolver, Optional.of((Channel) controllerChannel), GatewaySettings.defaults(),
                Clock.systemUTC(), registry);
        gatewayPort = serve(settings.gateway(), "gateway", gateway, progress);
        parts.put("gateway", gateway);
    }

    /** The port the gateway listens on. */
    public int gatewayPort() {
        return gatewayPort;
    }

    /** The port the controller listens on. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The port the replica Agent service listens on. */
    public int agentPort() {
        return agentPort;
    }

    /** Ready when every part is: pg2pulsar, pulsar2pg, the controller and the gateway. */
    public Readiness readiness() {
        return Readiness.all(parts);
    }

    private int serve(InetSocketAddress address, String what, BindableService service, Consumer<String> progress) throws Exception {
        GrpcServer server = GrpcServer.on(address, service);
        try {
            server.start();
        } catch (IOException e) {
            if (service instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw new StartException("the " + what + " cannot listen on " + hostOf(address) + ":" + address.getPort() + ": " + e.getMessage()
                    + " (is another pgcapture running there? choose another address)", e);
        }
        started.push(() -> server.shutdown(SERVER_SHUTDOWN));
        progress.accept(what + " listening on " + hostOf(address) + ":" + server.port());
        return server.port();
    }

    /** Runs an agent on its own thread; a failure goes to {@code onFailure}. */
    private void runInBackground(String name, Foreground.Run run, Runnable stop) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                run.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
                onFailure.accept(e);
            }
        }, name);
        thread.start();
        started.push(() -> {
            stop.run();
            try {
                done.get();
            } catch (java.util.concurrent.ExecutionException alreadyReported) {
                // onFailure had it; stopping the agent is all that is left to do.
            }
        });
    }

    private static String hostOf(InetSocketAddress address) {
        return address.getHostString();
    }

    /** Stops every part, last started first; the first failure is thrown after all were tried. */
    @Override
    public void close() throws Exception {
        Closing.all(started);
    }
}
