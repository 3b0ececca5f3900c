package dev.pgcapture.bench;

import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.cli.Pipeline;
import dev.pgcapture.core.grpc.GrpcChannels;
import dev.pgcapture.embedded.LocalPulsar;
import dev.pgcapture.proto.DBLogControllerGrpc;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
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
    private static final String LOOPBACK = "127.0.0.1";

    /** The databases, the names and the consumer URIs of one stack. */
    record Names(String source, String replica, String store, String slot, String topic, List<String> uris) {
    }

    private final AtomicReference<Throwable> failure;
    private final Pipeline pipeline;
    private final ManagedChannel gateway;
    private final ManagedChannel controller;

    private SdkStack(Pipeline pipeline, AtomicReference<Throwable> failure) {
        this.pipeline = pipeline;
        this.failure = failure;
        this.gateway = GrpcChannels.open(LOOPBACK + ":" + pipeline.gatewayPort());
        this.controller = GrpcChannels.open(LOOPBACK + ":" + pipeline.controllerPort());
    }

    /** Sets the source up, seeds the replica and starts the pipeline over them. */
    static SdkStack start(BenchDatabases databases, LocalPulsar pulsar, Names names) throws Exception {
        try (Connection source = databases.connect(names.source())) {
            new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(names.slot())).init(source);
        }
        new Seeder(SeedSettings.of(databases.url(names.source()), databases.url(names.replica())), line -> log.debug("seed: {}", line)).run();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        InetSocketAddress anyPort = new InetSocketAddress(LOOPBACK, 0);
        Pipeline pipeline = Pipeline.start(new Pipeline.Settings(databases.url(names.source()), databases.url(names.replica()),
                databases.url(names.store()), pulsar.serviceUrl(), pulsar.httpUrl(),
                CaptureSettings.defaults().withSlot(names.slot()).withStatusInterval(Duration.ofMillis(100)), names.topic(), names.uris(),
                false, anyPort, anyPort, anyPort, new SimpleMeterRegistry()), line -> log.debug("stack: {}", line), e -> {
                    log.error("an agent of the stack failed", e);
                    failure.compareAndSet(null, e);
                });
        SdkStack stack = new SdkStack(pipeline, failure);
        log.info("stack up: agent {}, controller {}, gateway {}; topic {}", pipeline.agentPort(), pipeline.controllerPort(),
                pipeline.gatewayPort(), names.topic());
        return stack;
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
        GrpcChannels.shutdown(gateway);
        GrpcChannels.shutdown(controller);
        pipeline.close();
    }
}
