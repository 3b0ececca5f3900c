package dev.pgcapture.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Lets the newest component own a meter that reads the component's own state (a gauge, a
 * function counter). A registry hands back an existing meter for the same name and tags, still
 * reading the state of whoever registered it first: a component started again on the same
 * registry (an agent restarted in one JVM) would report its predecessor's values. Such
 * components call {@link #release} before registering.
 */
public final class Meters {

    private Meters() {
    }

    /** Removes every meter named {@code name} (Micrometer's dotted form) with exactly these {@code tags}. */
    public static void release(MeterRegistry registry, String name, Tags tags) {
        registry.find(name).tags(tags).meters().stream()
                .filter(meter -> Tags.of(meter.getId().getTags()).equals(tags))
                .forEach(registry::remove);
    }
}
