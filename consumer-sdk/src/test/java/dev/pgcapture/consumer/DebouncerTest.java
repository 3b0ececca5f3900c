package dev.pgcapture.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Debouncer<String> debouncer = new Debouncer<>(Duration.ofSeconds(1), 3);

    @Test
    void laterUpdateOfAKey_replacesTheHeldOne_andKeepsItsDueTime() {
        assertNull(debouncer.hold("k", "v1", T0).replaced());
        assertEquals("v1", debouncer.hold("k", "v2", T0.plusMillis(900)).replaced());
        assertEquals(List.of(), debouncer.due(T0.plusMillis(999)));
        assertEquals(List.of("v2"), debouncer.due(T0.plusSeconds(1)), "due one interval after the key's first update");
        assertNull(debouncer.nextDue());
    }

    @Test
    void dueEntries_comeOldestFirst_andOthersStay() {
        debouncer.hold("a", "a1", T0);
        debouncer.hold("b", "b1", T0.plusMillis(500));
        debouncer.hold("a", "a2", T0.plusMillis(600));
        assertEquals(T0.plusSeconds(1), debouncer.nextDue());
        assertEquals(List.of("a2"), debouncer.due(T0.plusMillis(1200)));
        assertEquals(List.of("b1"), debouncer.due(T0.plusMillis(1500)));
    }

    @Test
    void take_removesOnlyThatKey() {
        debouncer.hold("a", "a1", T0);
        debouncer.hold("b", "b1", T0);
        assertEquals("a1", debouncer.take("a"));
        assertNull(debouncer.take("a"));
        assertEquals(1, debouncer.size());
    }

    @Test
    void beyondTheLimit_theOldestIsPushedOutToBeHandedOnNow_neverDropped() {
        debouncer.hold("a", "a1", T0);
        debouncer.hold("b", "b1", T0);
        debouncer.hold("c", "c1", T0);
        Debouncer.Displaced<String> displaced = debouncer.hold("d", "d1", T0);
        assertEquals("a1", displaced.overflow());
        assertNull(displaced.replaced());
        assertEquals(List.of("b1", "c1", "d1"), debouncer.clear());
    }

    @Test
    void removeIf_returnsWhatItRemoves() {
        debouncer.hold("a", "a1", T0);
        debouncer.hold("b", "b1", T0);
        assertEquals(List.of("b1"), debouncer.removeIf(v -> v.startsWith("b")));
        assertEquals(List.of("a1"), debouncer.clear());
    }

    @Test
    void nonPositiveInterval_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Debouncer<String>(Duration.ZERO, 1));
    }
}
