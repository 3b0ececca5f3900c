package dev.pgcapture.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The updates held back by debouncing, one per key: the latest update of the key, due an
 * interval after the key's first held update (a key updated without pause is still handed on
 * every interval). Pure bookkeeping, driven by the consumer's thread with the time passed in.
 *
 * <p>What is never lost: an entry leaves only through {@link #hold} (replaced by a newer one,
 * which the caller acknowledges), or {@link #take}, {@link #due}, {@link #removeIf} and
 * {@link #clear}, whose entries the caller hands on or leaves unacknowledged for the gateway to
 * deliver again.
 *
 * @param <E> what is held: a change with its checkpoint
 */
final class Debouncer<E> {

    /** What {@link #hold} displaced: the older version of the key (to acknowledge) and an entry pushed out by the limit (to hand on now). */
    record Displaced<E>(E replaced, E overflow) {
    }

    private record Held<E>(E entry, Instant due) {
    }

    private final Duration interval;
    private final int maxHeld;
    /** In order of first hold, so the oldest is first and dues are in order. */
    private final LinkedHashMap<Object, Held<E>> held = new LinkedHashMap<>();

    Debouncer(Duration interval, int maxHeld) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("debounce interval must be positive, was " + interval);
        }
        if (maxHeld < 1) {
            throw new IllegalArgumentException("maxHeld must be at least 1, was " + maxHeld);
        }
        this.interval = interval;
        this.maxHeld = maxHeld;
    }

    /**
     * Holds {@code entry} as the latest update of {@code key}. The key keeps the due time of its
     * first held update.
     */
    Displaced<E> hold(Object key, E entry, Instant now) {
        Objects.requireNonNull(key, "key");
        Held<E> earlier = held.get(key);
        if (earlier != null) {
            held.put(key, new Held<>(entry, earlier.due()));
            return new Displaced<>(earlier.entry(), null);
        }
        E overflow = null;
        if (held.size() >= maxHeld) {
            Iterator<Held<E>> oldest = held.values().iterator();
            overflow = oldest.next().entry();
            oldest.remove();
        }
        held.put(key, new Held<>(entry, now.plus(interval)));
        return new Displaced<>(null, overflow);
    }

    /** Removes and returns the update held for {@code key}, or {@code null}. */
    E take(Object key) {
        Held<E> h = held.remove(key);
        return h == null ? null : h.entry();
    }

    /** Removes and returns the entries due at {@code now}, oldest first. */
    List<E> due(Instant now) {
        List<E> due = new ArrayList<>();
        Iterator<Held<E>> it = held.values().iterator();
        while (it.hasNext()) {
            Held<E> h = it.next();
            if (h.due().isAfter(now)) {
                break;
            }
            due.add(h.entry());
            it.remove();
        }
        return due;
    }

    /** When the next entry is due, or {@code null} when nothing is held. */
    Instant nextDue() {
        for (Map.Entry<Object, Held<E>> first : held.entrySet()) {
            return first.getValue().due();
        }
        return null;
    }

    /** Removes and returns the entries {@code which} selects. */
    List<E> removeIf(Predicate<E> which) {
        List<E> removed = new ArrayList<>();
        held.values().removeIf(h -> {
            if (which.test(h.entry())) {
                removed.add(h.entry());
                return true;
            }
            return false;
        });
        return removed;
    }

    /** Removes and returns every held entry. */
    List<E> clear() {
        List<E> all = new ArrayList<>(held.size());
        held.values().forEach(h -> all.add(h.entry()));
        held.clear();
        return all;
    }

    int size() {
        return held.size();
    }
}
