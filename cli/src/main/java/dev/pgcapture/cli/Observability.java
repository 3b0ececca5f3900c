package dev.pgcapture.cli;

import dev.pgcapture.core.Readiness;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's metrics and health: one Prometheus registry with the JVM's meters (memory, GC,
 * threads, class loading, CPU, uptime, file descriptors), which every component of the process
 * registers its meters in, and, when an address was given, the {@link MetricsServer} serving it.
 * Readiness answers "starting" until {@link #ready} names what decides it.
 */
final class Observability implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Observability.class);

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final AtomicReference<Readiness> readiness;
    private final Optional<MetricsServer> server;
    private final Optional<HostPort> address;

    private Observability(PrometheusMeterRegistry registry, JvmGcMetrics gc, AtomicReference<Readiness> readiness,
            Optional<HostPort> address, Optional<MetricsServer> server) {
        this.registry = registry;
        this.readiness = readiness;
        this.gc = gc;
        this.address = address;
        this.server = server;
    }

    /** A registry with the JVM's meters, served on {@code address} when present. */
    static Observability start(Optional<HostPort> address) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        AtomicReference<Readiness> readiness = new AtomicReference<>(() -> Optional.of("starting"));
        Optional<MetricsServer> server;
        try {
            server = address.isEmpty() ? Optional.empty()
                    : Optional.of(MetricsServer.start(address.get().bindAddress(), registry, () -> readiness.get().whyNotReady()));
        } catch (IOException e) {
            gc.close();
            registry.close();
            throw new IOException("cannot listen on " + address.get() + " for --metrics-listen: " + e.getMessage(), e);
        }
        return new Observability(registry, gc, readiness, address, server);
    }

    /** The registry every component of the process registers its meters in. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** From now on, {@code /health/ready} answers what {@code readiness} says. */
    void ready(Readiness readiness) {
        this.readiness.set(Objects.requireNonNull(readiness, "readiness"));
    }

    /** The port metrics are served on, when they are. */
    Optional<Integer> port() {
        return server.map(MetricsServer::port);
    }

    /**
     * Logs, at INFO, the one line that says what this process is: {@code what} (the process and
     * its gRPC address, slot, topic, replica or store; never a password), then pgcapture's and
     * the JVM's versions and the metrics endpoint.
     */
    void logStart(String what) {
        String metrics = address.map(a -> "metrics and health on http://" + new HostPort(a.host(), port().orElse(a.port())) + "/")
                .orElse("no metrics endpoint");
        log.info("{} (pgcapture {}, Java {} {}; {})", what, Version.current(), Runtime.version(),
                System.getProperty("java.vendor"), metrics);
    }

    @Override
    public void close() {
        server.ifPresent(MetricsServer::close);
        gc.close();
        registry.close();
    }
}
