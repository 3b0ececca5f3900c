package dev.pgcapture.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a long-running component is doing its job right now: a capture agent streaming from
 * its slot into a connected producer, a replica applier reading its topic, a server serving.
 * A process's {@code /health/ready} answers from it. Checks are cheap and never block: they
 * read state the component keeps, they do not probe anything.
 */
@FunctionalInterface
public interface Readiness {

    /** Empty when ready; otherwise a short reason a person can act on ("slot s: reconnecting after ..."). */
    Optional<String> whyNotReady();

    /** Always ready. */
    Readiness READY = Optional::empty;

    /**
     * Ready only when every part is; the reason names each part that is not, by its key, in the
     * map's order ({@code "pg2pulsar: ...; gateway: ..."}).
     */
    static Readiness all(Map<String, ? extends Readiness> parts) {
        Map<String, Readiness> copy = new LinkedHashMap<>(parts);
        copy.values().forEach(part -> Objects.requireNonNull(part, "part"));
        return () -> {
            List<String> reasons = new ArrayList<>();
            copy.forEach((name, part) -> part.whyNotReady().ifPresent(reason -> reasons.add(name + ": " + reason)));
            return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
        };
    }
}
