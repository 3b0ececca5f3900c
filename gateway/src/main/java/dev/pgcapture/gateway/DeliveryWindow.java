package dev.pgcapture.gateway;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The messages a stream has delivered and the client has not acknowledged, in delivery order;
 * in exact mode also the replay buffer of go-back-N.
 *
 * <p>An acknowledgement names a checkpoint's lsn and seq. A live change's are its own; the rows
 * of a dump chunk all share {@code {0, chunk id}}, so an acknowledgement of a row answers the
 * oldest unacknowledged row of its chunk (a client keeping order acknowledges them in order).
 *
 * <p>Go-back-N: a requeue {@linkplain #rewind rewinds} delivery to the requeued message, which
 * waits out its backoff, then is sent again (flagged {@code redelivery}) followed by everything
 * after it still unacknowledged, in the original order. Acknowledgements that arrive for
 * messages after it meanwhile are honoured: those are not sent again. A client that answers
 * the copies it received before the rewind as well as the new ones may acknowledge a message
 * twice; the second is absorbed (a tombstone per extra copy sent) instead of being refused.
 */
final class DeliveryWindow {

    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final Map<Entry.Key, ArrayDeque<Entry>> byKey = new HashMap<>();
    private final LinkedHashMap<Entry.Key, Integer> tombstones;
    private long nextNumber;
    private long bytes;
    private int retrying;

    private Long resendFrom;
    private Instant resumeAt = Instant.MIN;
    private boolean markRedelivery;

    DeliveryWindow(int maxTombstones) {
        this.tombstones = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<dev.pgcapture.gateway.Entry.Key, Integer> eldest) {
                return size() > maxTombstones;
            }
        };
    }

    /** Records a message as sent for the first time. */
    void add(Entry entry) {
        entry.number = nextNumber++;
        entries.put(entry.number, entry);
        byKey.computeIfAbsent(entry.key, k -> new ArrayDeque<>()).add(entry);
        bytes += entry.bytes;
    }

    /**
     * The unacknowledged message an acknowledgement of {@code key} answers, or null. A message
     * waiting to be delivered again after its requeue is chosen only when nothing else has the
     * key: an answer to an older copy of a row is for a row sent after it.
     */
    Entry match(Entry.Key key) {
        ArrayDeque<Entry> candidates = byKey.get(key);
        if (candidates == null) {
            return null;
        }
        for (Entry entry : candidates) {
            if (!entry.awaitingRedelivery) {
                return entry;
            }
        }
        return candidates.peekFirst();
    }

    /** Absorbs an acknowledgement of a copy already answered; false when there is none. */
    boolean absorbDuplicate(Entry.Key key) {
        Integer left = tombstones.get(key);
        if (left == null) {
            return false;
        }
        if (left <= 1) {
            tombstones.remove(key);
        } else {
            tombstones.put(key, left - 1);
        }
        return true;
    }

    /**
     * Forgets a message: acknowledged, or given up. {@code answeredCopies} of the copies sent
     * have been (or will never be) answered; the rest may still be, and are absorbed.
     */
    void remove(Entry entry, int answeredCopies) {
        if (entries.remove(entry.number) == null) {
            return;
        }
        ArrayDeque<Entry> same = byKey.get(entry.key);
        same.remove(entry);
        if (same.isEmpty()) {
            byKey.remove(entry.key);
        }
        bytes -= entry.bytes;
        if (entry.attempts > 0) {
            retrying--;
        }
        int unanswered = entry.sends - answeredCopies;
        if (unanswered > 0) {
            tombstones.merge(entry.key, unanswered, Integer::sum);
        }
    }

    /** Counts a failed attempt of {@code entry}; returns the attempts so far. */
    int failed(Entry entry) {
        if (entry.attempts == 0) {
            retrying++;
        }
        return ++entry.attempts;
    }

    /**
     * Rewinds delivery to {@code entry} (kept), to be sent again from {@code at} on. A rewind
     * further back than one in progress takes over; one further on is covered by it.
     */
    void rewind(Entry entry, Instant at) {
        entry.awaitingRedelivery = true;
        if (resendFrom == null || entry.number < resendFrom) {
            resendFrom = entry.number;
            resumeAt = at;
            markRedelivery = true;
        } else if (entry.number == resendFrom && at.isAfter(resumeAt)) {
            resumeAt = at;
        }
    }

    /** Rewinds delivery to what follows {@code removed}, at once (it was given up). */
    void rewindAfter(Entry removed) {
        long from = removed.number + 1;
        if (resendFrom == null || from < resendFrom) {
            resendFrom = from;
            resumeAt = Instant.MIN;
            markRedelivery = true;
        }
    }

    /** The next message to send again, or null when none is due at {@code now}. */
    Entry nextResend(Instant now) {
        if (resendFrom == null || now.isBefore(resumeAt)) {
            return null;
        }
        Map.Entry<Long, Entry> next = entries.ceilingEntry(resendFrom);
        if (next == null) {
            resendFrom = null;
            return null;
        }
        Entry entry = next.getValue();
        resendFrom = entry.number + 1;
        entry.sends++;
        entry.awaitingRedelivery = false;
        return entry;
    }

    /** Whether a rewind is under way: no new message goes out until it has passed. */
    boolean rewinding() {
        return resendFrom != null;
    }

    /** When the pending rewind may start; meaningful while {@link #rewinding}. */
    Instant resumeAt() {
        return resumeAt;
    }

    /** Whether the next message sent is the first after a rewind; clears the mark. */
    boolean takeRedeliveryMark() {
        boolean mark = markRedelivery;
        markRedelivery = false;
        return mark;
    }

    /** Every unacknowledged message of {@code chunk}, oldest first. */
    java.util.List<Entry> rowsOf(ChunkRows chunk) {
        return entries.values().stream().filter(e -> e.chunk == chunk).toList();
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }

    /** How many unacknowledged messages have been requeued at least once. */
    int retrying() {
        return retrying;
    }
}
