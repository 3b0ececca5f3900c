package dev.pgcapture.controller;

import dev.pgcapture.core.Meters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The controller's gauges of each URI's dump schedule, tagged {@code uri}: chunks scheduled,
 * done and out to clients, and rows dumped. A URI's gauges are registered when it is first
 * scheduled (or found in the store) and read 0 once its schedule is gone; each scrape reads the
 * scheduler's current progress.
 */
final class ScheduleMeters {

    private final MeterRegistry registry;
    private final Function<String, Optional<Scheduler.Progress>> progress;
    private final Set<String> metered = ConcurrentHashMap.newKeySet();

    /** @param progress the current progress of a URI's schedule, empty when it has none */
    ScheduleMeters(MeterRegistry registry, Function<String, Optional<Scheduler.Progress>> progress) {
        this.registry = registry;
        this.progress = progress;
    }

    /** Registers the gauges of {@code uri} unless they are already. */
    void meter(String uri) {
        if (!metered.add(uri)) {
            return;
        }
        gauge("pgcapture.controller.dump.chunks", uri, Scheduler.Progress::total, "Chunks in the URI's dump schedule");
        gauge("pgcapture.controller.dump.chunks.done", uri, Scheduler.Progress::done, "Chunks of the URI's schedule done");
        gauge("pgcapture.controller.dump.chunks.in.flight", uri, Scheduler.Progress::inFlight,
                "Chunks of the URI's schedule handed to a gateway and not answered yet");
        gauge("pgcapture.controller.dump.rows", uri, Scheduler.Progress::rows, "Rows of the URI's schedule dumped so far");
    }

    private void gauge(String name, String uri, ToDoubleFunction<Scheduler.Progress> value, String description) {
        Meters.release(registry, name, Tags.of("uri", uri));
        Gauge.builder(name, () -> progress.apply(uri).map(value::applyAsDouble).orElse(0.0))
                .tag("uri", uri).description(description).register(registry);
    }
}
