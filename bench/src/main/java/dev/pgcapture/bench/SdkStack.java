package dev.pgcapture.bench;

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
import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.controller.AgentLookup;
import dev.pgcapture.controller.ControllerService;
import dev.pgcapture.controller.ControllerSettings;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.GrpcChannels;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.embedded.LocalPulsar;
import dev.pgcapture.gateway.GatewayService;
import dev.pgcapture.gateway.GatewaySettings;
import dev.pgcapture.gateway.dump.AgentDumper;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.pulsar.PulsarSourceSettings;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import dev.pgcapture.gateway.resolve.StaticResolver;
import dev.pgcapture.proto.DBLogControllerGrpc;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in this JVM, from production classes, every gRPC service on a loopback TCP
 * port (Netty): the source captured by {@code pg2pulsar} into a topic of the in-process broker; a
 * replica seeded by {@code seed}, kept by {@code pulsar2pg} and served by the Agent service; the
 * controller with its store database; the gateway, resolving each of the given consumer URIs to
 * its own subscription on the topic and to the agent. {@link #gateway()} is what a consumer
 * connects to.
 *
 * <p>The source database must exist with its tables (and any rows to be seeded); the replica and
 * store databases must exist and be empty.
 */
final class SdkStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SdkStack.class);
    private static final Duration SHUTDOWN = Duration.ofSeconds(5);
    private static final String LOOPBACK = "127.0.0.1";

    /** The databases, the names and the consumer URIs of one stack. */
    record Names(String source, String replica, String store, String slot, String topic, List<String> uris) {
    }

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final GrpcChannels channels = new GrpcChannels();
    private ManagedChannel gateway;
    private ManagedChannel controller;

    private SdkStack() {
    }

    /** Starts everything; on failure stops what had started. */
    static SdkStack start(BenchDatabases databases, LocalPulsar pulsar, Names names) throws Exception {
        SdkStack stack = new SdkStack();
        try {
            stack.startAll(databases, pulsar, names);
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(BenchDatabases databases, LocalPulsar pulsar, Names names) throws Exception {
        try (Connection source = databases.connect(names.source())) {
            new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(names.slot())).init(source);
        }
        new Seeder(SeedSettings.of(databases.url(names.source()), databases.url(names.replica())), line -> log.debug("seed: {}", line)).run();

        Pg2Pulsar capture = new Pg2Pulsar(new Pg2Pulsar.Settings(databases.url(names.source()),
                CaptureSettings.defaults().withSlot(names.slot()).withStatusInterval(Duration.ofMillis(100)), pulsar.serviceUrl(),
                pulsar.httpUrl(), PulsarSinkSettings.forTopic(names.topic()), Duration.ofDays(7)), AgentRunner.Backoff.standard());
        runOnThread("bench-stack-pg2pulsar", capture::run, capture::stop);

        DumpRegistry dumps = new DumpRegistry(databases.url(names.replica()), DumpLimits.defaults().cancelGrace());
        GrpcServer agentServer = GrpcServer.on(new InetSocketAddress(LOOPBACK, 0),
                new AgentService(databases.url(names.replica()), Clock.systemUTC(), DumpLimits.defaults(), dumps)).start();
        closing.add(() -> agentServer.shutdown(SHUTDOWN));
        String agentUrl = LOOPBACK + ":" + agentServer.port();
        Pulsar2Pg apply = new Pulsar2Pg(new Pulsar2Pg.Settings(databases.url(names.replica()), pulsar.serviceUrl(), names.topic(),
                ApplySettings.defaults()), AgentRunner.Backoff.standard(), dumps, null);
        runOnThread("bench-stack-pulsar2pg", apply::run, apply::stop);

        Map<String, ResolverConfig.Entry> entries = new LinkedHashMap<>();
        for (String uri : names.uris()) {
            entries.put(uri, new ResolverConfig.Entry(pulsar.serviceUrl(), names.topic(), uri + "-subscription", Optional.of(agentUrl)));
        }
        ResolverConfig config = ResolverConfig.of(entries);

        ControllerService controllerService = ControllerService.open(databases.url(names.store()), AgentLookup.of(config, "bench"),
                Clock.systemUTC(), ControllerSettings.defaults());
        GrpcServer controllerServer = GrpcServer.on(new InetSocketAddress(LOOPBACK, 0), controllerService).start();
        closing.add(() -> controllerServer.shutdown(SHUTDOWN));
        controller = GrpcChannels.open(LOOPBACK + ":" + controllerServer.port());
        closing.add(() -> GrpcChannels.shutdown(controller));

        StaticResolver resolver = new StaticResolver(config, new PulsarSources(PulsarSourceSettings.defaults(), Clock.systemUTC()),
                PulsarClients.withDefaults(), url -> new AgentDumper(channels.get(url), AgentDumper.Settings.defaults()));
        closing.add(resolver);
        closing.add(channels);
        GatewayService gatewayService = new GatewayService(resolver, Optional.of((Channel) controller), GatewaySettings.defaults(),
                Clock.systemUTC());
        GrpcServer gatewayServer = GrpcServer.on(new InetSocketAddress(LOOPBACK, 0), gatewayService).start();
        closing.add(() -> gatewayServer.shutdown(SHUTDOWN));
        gateway = GrpcChannels.open(LOOPBACK + ":" + gatewayServer.port());
        closing.add(() -> GrpcChannels.shutdown(gateway));
        log.info("stack up: agent {}, controller {}, gateway {}; topic {}", agentUrl, controllerServer.port(), gatewayServer.port(),
                names.topic());
    }

    /** Runs an agent on its own thread; a failure is kept for {@link #check}. */
    private void runOnThread(String name, Agent run, Runnable stop) {
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                run.run();
            } catch (Throwable e) {
                log.error("{} failed", name, e);
                failure.compareAndSet(null, e);
            }
        });
        closing.add(() -> {
            stop.run();
            thread.join(TimeUnit.MINUTES.toMillis(1));
        });
    }

    @FunctionalInterface
    private interface Agent {
        void run() throws Exception;
    }

    /** A plaintext channel to the gateway, owned by the stack. */
    ManagedChannel gateway() {
        return gateway;
    }

    /** A client of the controller. */
    DBLogControllerGrpc.DBLogControllerBlockingStub controller() {
        return DBLogControllerGrpc.newBlockingStub(controller).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** @throws IllegalStateException when pg2pulsar or pulsar2pg has stopped on a failure */
    void check() {
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("an agent of the stack failed: " + failed.getMessage(), failed);
        }
    }

    /** Stops everything, the last started first. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : closing.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        closing.clear();
        if (first != null) {
            throw first;
        }
    }
}
