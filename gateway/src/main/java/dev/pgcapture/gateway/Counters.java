package dev.pgcapture.gateway;

import dev.pgcapture.core.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * What the gateway's streams count together, for operators, and the gateway's meters. Meters
 * of a URI are registered when its first stream starts and stay (a URI's gauges read 0 while no
 * stream uses it), so their number is bounded by the URIs the resolver knows.
 */
final class Counters {

    /** The meters of one URI, which its streams count into. */
    record UriMeters(Counter requeues, Counter changes, Counter dumpRows) {
    }

    /** Requeues retried in place (exact mode), every attempt counted. */
    final LongAdder retries = new LongAdder();
    /** Messages given up after their maximum attempts (changes to the dead-letter topic, rows with their table). */
    final LongAdder givenUp = new LongAdder();

    private final MeterRegistry registry;
    private final ToDoubleFunction<String> consumers;
    private final ToDoubleFunction<String> inFlight;
    private final Map<String, UriMeters> byUri = new ConcurrentHashMap<>();

    /**
     * @param consumers how many streams consume a URI now
     * @param inFlight how many messages of a URI's streams are delivered and not yet acknowledged
     */
    Counters(MeterRegistry registry, ToDoubleFunction<String> consumers, ToDoubleFunction<String> inFlight) {
        this.registry = registry;
        this.consumers = consumers;
        this.inFlight = inFlight;
        Meters.release(registry, "pgcapture.gateway.retries", Tags.empty());
        Meters.release(registry, "pgcapture.gateway.given.up", Tags.empty());
        FunctionCounter.builder("pgcapture.gateway.retries", retries, LongAdder::sum)
                .description("Exact-mode requeues retried in place, every attempt counted").register(registry);
        FunctionCounter.builder("pgcapture.gateway.given.up", givenUp, LongAdder::sum)
                .description("Messages given up after their maximum attempts").register(registry);
    }

    /** The meters of {@code uri}, registered on first use. */
    UriMeters forUri(String uri) {
        return byUri.computeIfAbsent(uri, this::register);
    }

    private UriMeters register(String uri) {
        Meters.release(registry, "pgcapture.gateway.consumers", Tags.of("uri", uri));
        Meters.release(registry, "pgcapture.gateway.in.flight", Tags.of("uri", uri));
        Gauge.builder("pgcapture.gateway.consumers", () -> consumers.applyAsDouble(uri)).tag("uri", uri)
                .description("Capture streams open on the URI").register(registry);
        Gauge.builder("pgcapture.gateway.in.flight", () -> inFlight.applyAsDouble(uri)).tag("uri", uri)
                .description("Messages delivered to the URI's consumers and not acknowledged yet").register(registry);
        return new UriMeters(
                Counter.builder("pgcapture.gateway.requeues").tag("uri", uri)
                        .description("Acknowledgements that asked for a message again (requeue), changes and dump rows").register(registry),
                Counter.builder("pgcapture.gateway.changes.delivered").tag("uri", uri)
                        .description("Live changes sent to the URI's consumers, redeliveries not counted").register(registry),
                Counter.builder("pgcapture.gateway.dump.rows").tag("uri", uri)
                        .description("Dump rows sent to the URI's consumers, redeliveries not counted").register(registry));
    }
}
