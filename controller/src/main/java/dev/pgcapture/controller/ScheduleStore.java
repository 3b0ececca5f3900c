package dev.pgcapture.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where the controller keeps its schedules, so that they survive a restart. The
 * {@link Scheduler} writes every change here before it acts on it; each method is atomic: all of
 * its changes are stored, or none (and it throws {@link StoreException}).
 */
interface ScheduleStore extends AutoCloseable {

    /** One stored schedule. */
    record StoredSchedule(String uri, Instant createdAt, List<ChunkState> chunks) {
    }

    /** Everything stored: the schedules and each URI's cool-down. */
    record Contents(List<StoredSchedule> schedules, Map<String, Duration> coolDowns) {
    }

    /**
     * Turns every chunk in flight or provisionally acknowledged back to pending (their clients
     * are gone), stores that, and returns everything stored. Called once at start.
     */
    Contents recover();

    /** Stores a new schedule of {@code uri}, replacing the one stored before, if any. */
    void create(String uri, Instant createdAt, List<ChunkState> chunks);

    /** Removes the schedule of {@code uri}, if any. */
    void delete(String uri);

    /** Stores new states of chunks of the schedule of {@code uri}. */
    void update(String uri, Collection<ChunkState> chunks);

    /** Stores the cool-down of {@code uri}. */
    void coolDown(String uri, Duration coolDown);

    @Override
    void close();
}
