package dev.pgcapture.controller;

import dev.pgcapture.controller.ChunkState.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ScheduleStore} in memory, with {@link PostgresStore}'s semantics, for unit tests: a
 * "restart" is a new scheduler recovered from the same instance. {@link #failWrites} makes
 * writes fail as a lost database would.
 */
final class InMemoryStore implements ScheduleStore {

    private record Stored(Instant createdAt, TreeMap<Integer, ChunkState> chunks) {
    }

    private final Map<String, Stored> schedules = new LinkedHashMap<>();
    private final Map<String, Duration> coolDowns = new HashMap<>();
    private boolean failing;
    int writes;

    synchronized void failWrites(boolean fail) {
        this.failing = fail;
    }

    /** The stored state of one chunk. */
    synchronized ChunkState chunk(String uri, int seq) {
        return schedules.get(uri).chunks().get(seq);
    }

    synchronized boolean has(String uri) {
        return schedules.containsKey(uri);
    }

    @Override
    public synchronized Contents recover() {
        check("recover");
        List<StoredSchedule> list = new ArrayList<>();
        schedules.forEach((uri, stored) -> {
            stored.chunks().replaceAll((seq, chunk) ->
                    chunk.state() == State.IN_FLIGHT || chunk.state() == State.ACKED ? chunk.withState(State.PENDING) : chunk);
            list.add(new StoredSchedule(uri, stored.createdAt(), List.copyOf(stored.chunks().values())));
        });
        return new Contents(list, Map.copyOf(coolDowns));
    }

    @Override
    public synchronized void create(String uri, Instant createdAt, List<ChunkState> chunks) {
        check("create");
        TreeMap<Integer, ChunkState> map = new TreeMap<>();
        chunks.forEach(chunk -> map.put(chunk.seq(), chunk));
        schedules.put(uri, new Stored(createdAt, map));
        writes++;
    }

    @Override
    public synchronized void delete(String uri) {
        check("delete");
        schedules.remove(uri);
        writes++;
    }

    @Override
    public synchronized void update(String uri, Collection<ChunkState> chunks) {
        check("update");
        Stored stored = schedules.get(uri);
        for (ChunkState chunk : chunks) {
            if (stored == null || !stored.chunks().containsKey(chunk.seq())) {
                throw new StoreException("no chunk " + chunk.seq() + " of URI " + uri + " in the store");
            }
        }
        chunks.forEach(chunk -> stored.chunks().put(chunk.seq(), chunk));
        writes++;
    }

    @Override
    public synchronized void coolDown(String uri, Duration coolDown) {
        check("coolDown");
        coolDowns.put(uri, coolDown);
        writes++;
    }

    @Override
    public void close() {
    }

    private void check(String what) {
        if (failing) {
            throw new StoreException("in-memory store told to fail (" + what + ")");
        }
    }
}
