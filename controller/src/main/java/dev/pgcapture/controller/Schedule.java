package dev.pgcapture.controller;

import dev.pgcapture.controller.ChunkState.State;
import dev.pgcapture.core.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The chunks of one URI's schedule and the indexes the {@link Scheduler} picks from: the queue
 * of pending chunks by position, the tables (the unit of an exact-mode lease) and the counts
 * progress reports. Changes come as new {@link ChunkState}s through {@link #apply}, after the
 * store has them. Not thread-safe: the scheduler's caller serializes access.
 */
final class Schedule {

    /** The chunks of one table of the schedule, in schedule order: what an exact-mode client leases. */
    static final class Table {
        final TableName name;
        final List<Integer> seqs = new ArrayList<>();
        /** Position → seq of this table's chunks in the queue. */
        final TreeMap<Long, Integer> queued = new TreeMap<>();
        /** Chunks handed out or provisionally acknowledged. */
        int inFlight;
        /** Leased to an exact-mode client: its chunks are out of the queue. */
        boolean leased;
        /** No queued chunk of this table backs off past this (an upper bound); {@code null}: none does. */
        Instant readyAt;

        Table(TableName name) {
            this.name = name;
        }
    }

    final String uri;
    final Instant createdAt;
    private final ChunkState[] chunks;
    private final Table[] tableOf;
    private final List<Table> tables;
    /** Position → seq of the chunks free to hand out: pending and not reserved by a lease. */
    private final TreeMap<Long, Integer> queue = new TreeMap<>();
    /** notBefore → count, of queued chunks that back off. */
    private final TreeMap<Instant, Integer> backoffs = new TreeMap<>();
    private long front;
    private int done;
    private int inFlight;
    private long rowsDone;
    private long retries;

    /** A schedule of {@code states}, as created or as recovered from the store (none in flight). */
    Schedule(String uri, Instant createdAt, List<ChunkState> states) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.chunks = new ChunkState[states.size()];
        this.tableOf = new Table[states.size()];
        Map<TableName, Table> byName = new LinkedHashMap<>();
        long lowest = 0;
        for (ChunkState state : states) {
            if (state.seq() < 0 || state.seq() >= chunks.length || chunks[state.seq()] != null) {
                throw new IllegalArgumentException("schedule " + uri + ": chunk seqs must be 0.." + (chunks.length - 1) + " once each");
            }
            Table table = byName.computeIfAbsent(state.chunk().table(), Table::new);
            table.seqs.add(state.seq());
            tableOf[state.seq()] = table;
            lowest = Math.min(lowest, state.position());
        }
        for (Table table : byName.values()) {
            table.seqs.sort(null);
        }
        this.tables = List.copyOf(byName.values());
        this.front = lowest - 1;
        for (ChunkState state : states) {
            if (state.state() == State.IN_FLIGHT || state.state() == State.ACKED) {
                throw new IllegalArgumentException("schedule " + uri + ": chunk " + state.seq() + " starts " + state.state());
            }
            add(state);
        }
    }

    int size() {
        return chunks.length;
    }

    ChunkState chunk(int seq) {
        return chunks[seq];
    }

    Table table(int seq) {
        return tableOf[seq];
    }

    boolean finished() {
        return done == chunks.length;
    }

    int done() {
        return done;
    }

    int inFlight() {
        return inFlight;
    }

    int pending() {
        return chunks.length - done - inFlight;
    }

    long rowsDone() {
        return rowsDone;
    }

    long retries() {
        return retries;
    }

    /** A position before every chunk in the queue: where a requeued chunk goes. */
    long takeFront() {
        return front--;
    }

    /** The first chunk in the queue that is ready at {@code now} (for a shared-mode client). */
    Optional<ChunkState> firstReady(Instant now) {
        for (int seq : queue.values()) {
            if (chunks[seq].readyAt(now)) {
                return Optional.of(chunks[seq]);
            }
        }
        return Optional.empty();
    }

    /**
     * The first table in queue order that an exact-mode client may lease at {@code now}: not
     * leased, none of its chunks out with a shared-mode client, every chunk not done queued and ready.
     */
    Optional<Table> firstLeasable(Instant now) {
        Table best = null;
        for (Table table : tables) {
            if (table.leased || table.inFlight > 0 || table.queued.isEmpty()
                    || (table.readyAt != null && table.readyAt.isAfter(now))) {
                continue;
            }
            if (best == null || table.queued.firstKey() < best.queued.firstKey()) {
                best = table;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Reserves {@code table} for a lease: takes its chunks out of the queue; returns them in schedule order. */
    List<Integer> lease(Table table) {
        List<Integer> seqs = new ArrayList<>();
        for (int seq : table.seqs) {
            if (chunks[seq].state() != State.DONE) {
                unqueue(chunks[seq]);
                seqs.add(seq);
            }
        }
        table.leased = true;
        table.readyAt = null;
        return seqs;
    }

    /** Ends a lease; the table's chunks must then be applied as pending or done. */
    void release(Table table) {
        table.leased = false;
    }

    /** The earliest time after {@code now} at which a queued chunk stops backing off. */
    Optional<Instant> nextReady(Instant now) {
        return Optional.ofNullable(backoffs.higherKey(now));
    }

    /** Replaces chunks by their new states (which the store already holds). */
    void apply(Collection<ChunkState> states) {
        for (ChunkState state : states) {
            remove(chunks[state.seq()]);
            add(state);
        }
    }

    private void add(ChunkState state) {
        int seq = state.seq();
        chunks[seq] = state;
        Table table = tableOf[seq];
        retries += state.retries();
        front = Math.min(front, state.position() - 1);
        switch (state.state()) {
            case PENDING -> {
                if (!table.leased) {
                    queue(state, table);
                }
            }
            case IN_FLIGHT, ACKED -> {
                inFlight++;
                table.inFlight++;
            }
            case DONE -> {
                done++;
                rowsDone += state.rows();
            }
        }
    }

    private void remove(ChunkState state) {
        Table table = tableOf[state.seq()];
        retries -= state.retries();
        switch (state.state()) {
            case PENDING -> unqueue(state);
            case IN_FLIGHT, ACKED -> {
                inFlight--;
                table.inFlight--;
            }
            case DONE -> {
                done--;
                rowsDone -= state.rows();
            }
        }
    }

    private void queue(ChunkState state, Table table) {
        queue.put(state.position(), state.seq());
        table.queued.put(state.position(), state.seq());
        if (state.notBefore() != null) {
            backoffs.merge(state.notBefore(), 1, Integer::sum);
            if (table.readyAt == null || state.notBefore().isAfter(table.readyAt)) {
                table.readyAt = state.notBefore();
            }
        }
    }

    private void unqueue(ChunkState state) {
        if (queue.remove(state.position(), state.seq())) {
            tableOf[state.seq()].queued.remove(state.position());
            if (state.notBefore() != null) {
                backoffs.computeIfPresent(state.notBefore(), (at, n) -> n == 1 ? null : n - 1);
            }
        }
    }
}
