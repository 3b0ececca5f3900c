package dev.pgcapture.controller;

import dev.pgcapture.core.Backoff;
import dev.pgcapture.controller.ChunkState.State;
import dev.pgcapture.controller.Client.Lease;
import dev.pgcapture.controller.Client.Outstanding;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.proto.DumpInfoResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's decisions, without threads or clocks: which chunk goes to which client when,
 * given {@code now}. Every change is written to the {@link ScheduleStore} before it takes effect
 * in memory or is handed out, so a controller restarted on the same store resumes every schedule.
 *
 * <ul>
 *   <li>One schedule per URI; a client holds at most one chunk; an idle client gets the next chunk
 *       of its URI's schedule once the URI's cool-down has passed since its last acknowledgement.</li>
 *   <li>Shared mode: chunk by chunk; a requeue (or a disconnect) puts the chunk back at the front
 *       of the queue, backing off exponentially per chunk.</li>
 *   <li>Exact mode: the unit is a table. Its chunks go to one client one after another, without
 *       cool-down, the last marked {@code last_of_table}; acknowledgements are provisional until
 *       the last one, and a requeue or a disconnect puts the whole table back at the front.</li>
 * </ul>
 *
 * <p>Not thread-safe: the caller serializes every call. A {@link StoreException} leaves the
 * scheduler unusable; the caller recovers a new one from the store.
 */
final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    /** A chunk to send to a client. */
    record Handout(Client client, DumpInfoResponse dump) {
    }

    /** How far one schedule has got. */
    record Progress(String uri, int total, int done, int inFlight, int pending, long retries, long rows,
            Duration coolDown) {

        boolean finished() {
            return done == total;
        }
    }

    /** The URI already has an unfinished schedule. */
    static final class ScheduleExistsException extends Exception {
        ScheduleExistsException(String message) {
            super(message);
        }
    }

    private final ScheduleStore store;
    private final Backoff backoff;
    private final Map<String, Schedule> schedules = new TreeMap<>();
    private final Map<String, Duration> coolDowns = new HashMap<>();
    private final Map<Long, Client> clients = new LinkedHashMap<>();
    private long lastClientId;

    private Scheduler(ScheduleStore store, Backoff backoff) {
        this.store = store;
        this.backoff = backoff;
    }

    /** A scheduler with everything the store holds; chunks that were out are pending again. */
    static Scheduler recover(ScheduleStore store, Backoff backoff) {
        Scheduler scheduler = new Scheduler(store, backoff);
        ScheduleStore.Contents contents = store.recover();
        for (ScheduleStore.StoredSchedule stored : contents.schedules()) {
            Schedule schedule = new Schedule(stored.uri(), stored.createdAt(), stored.chunks());
            scheduler.schedules.put(stored.uri(), schedule);
            if (!schedule.finished()) {
                log.info("resuming the schedule of URI {}: {} of {} chunks done", stored.uri(), schedule.done(), schedule.size());
            }
        }
        scheduler.coolDowns.putAll(contents.coolDowns());
        return scheduler;
    }

    /**
     * Schedules {@code chunks} for {@code uri}, replacing a finished schedule.
     *
     * @throws ScheduleExistsException when the URI's schedule is not finished
     */
    void schedule(String uri, List<DumpChunk> chunks, Instant now) throws ScheduleExistsException {
        Optional<Progress> current = unfinished(uri);
        if (current.isPresent()) {
            throw new ScheduleExistsException(alreadyScheduled(current.get()));
        }
        List<ChunkState> states = new ArrayList<>(chunks.size());
        for (DumpChunk chunk : chunks) {
            states.add(ChunkState.scheduled(states.size(), chunk));
        }
        store.create(uri, now, states);
        schedules.put(uri, new Schedule(uri, now, states));
        log.info("scheduled {} chunks of {} table(s) for URI {}", chunks.size(),
                chunks.stream().map(DumpChunk::table).distinct().count(), uri);
    }

    /** Why a URI with the unfinished schedule {@code current} takes no other. */
    static String alreadyScheduled(Progress current) {
        return "URI " + current.uri() + " already has a schedule, " + current.done() + " of " + current.total()
                + " chunks done: wait for it to finish or stop it first";
    }

    /** The progress of the URI's schedule, if it has one that is not finished. */
    Optional<Progress> unfinished(String uri) {
        Schedule schedule = schedules.get(uri);
        return schedule == null || schedule.finished() ? Optional.empty() : Optional.of(progress(schedule));
    }

    /** Removes the URI's schedule; chunks out are dropped and their answers ignored. Returns whether there was one. */
    boolean stop(String uri) {
        Schedule schedule = schedules.get(uri);
        if (schedule == null) {
            return false;
        }
        store.delete(uri);
        schedules.remove(uri);
        for (Client client : clients.values()) {
            if (client.lease != null && client.lease.schedule == schedule) {
                client.lease = null;
            }
        }
        log.info("stopped the schedule of URI {} at {} of {} chunks done", uri, schedule.done(), schedule.size());
        return true;
    }

    /** Sets the minimum time between a client's acknowledgement and its next chunk, for every client of {@code uri}. */
    void coolDown(String uri, Duration coolDown) {
        if (coolDown.isNegative()) {
            throw new IllegalArgumentException("cool-down must not be negative, was " + coolDown);
        }
        store.coolDown(uri, coolDown);
        coolDowns.put(uri, coolDown);
    }

    Client register(String uri, DeliveryMode mode) {
        Client client = new Client(++lastClientId, uri, mode);
        clients.put(client.id, client);
        log.debug("{} registered", client);
        return client;
    }

    /** The client's answer to its chunk: acknowledged, holding {@code rows} rows. */
    void acknowledge(Client client, long rows, Instant now) {
        Outstanding out = answered(client);
        if (out == null) {
            return;
        }
        Schedule schedule = out.schedule();
        ChunkState chunk = schedule.chunk(out.seq());
        Lease lease = client.lease;
        if (lease == null) {
            commit(schedule, List.of(chunk.acknowledged(State.DONE, rows)));
            client.lastAck = now;
        } else if (lease.atLast()) {
            List<ChunkState> states = new ArrayList<>();
            for (int seq : lease.seqs) {
                states.add(seq == out.seq() ? chunk.acknowledged(State.DONE, rows) : schedule.chunk(seq).withState(State.DONE));
            }
            store.update(schedule.uri, states);
            schedule.release(lease.table);
            schedule.apply(states);
            client.lease = null;
            client.lastAck = now;
            log.debug("{} completed table {}", client, lease.table.name);
        } else {
            commit(schedule, List.of(chunk.acknowledged(State.ACKED, rows)));
            lease.next++;
        }
        client.outstanding = null;
        if (schedule.finished()) {
            log.info("the schedule of URI {} is finished: {} chunks, {} rows, {} retries", schedule.uri, schedule.size(),
                    schedule.rowsDone(), schedule.retries());
        }
    }

    /** The client's answer to its chunk: requeued, for {@code reason}. */
    void requeue(Client client, String reason, Instant now) {
        Outstanding out = answered(client);
        if (out != null) {
            putBack(client, out.schedule(), out.seq(), reason, now);
        }
    }

    /** The client's stream ended: what it held goes back to the queue. Idempotent. */
    void disconnect(Client client, Instant now) {
        if (clients.remove(client.id) == null) {
            return;
        }
        Outstanding out = client.outstanding;
        Schedule current = schedules.get(client.uri);
        if (out != null && out.schedule() == current) {
            putBack(client, current, out.seq(), "the client disconnected", now);
        } else if (client.lease != null && client.lease.schedule == current) {
            putBack(client, current, client.lease.seqs.get(client.lease.next), "the client disconnected", now);
        }
        client.outstanding = null;
        client.lease = null;
        log.debug("{} left", client);
    }

    /** Hands a chunk to every idle client that may have one at {@code now}. */
    List<Handout> dispatch(Instant now) {
        List<Handout> handouts = new ArrayList<>();
        for (Client client : clients.values()) {
            next(client, now).ifPresent(dump -> handouts.add(new Handout(client, dump)));
        }
        return handouts;
    }

    /**
     * The earliest time after {@code now} at which {@link #dispatch} may find something to hand
     * out that it did not at {@code now} (a cool-down or a backoff ends); empty when only a
     * client's answer, a new client or a new schedule can change that.
     */
    Optional<Instant> nextWakeup(Instant now) {
        Instant earliest = null;
        for (Client client : clients.values()) {
            Schedule schedule = schedules.get(client.uri);
            if (!client.idle() || schedule == null || schedule.finished()) {
                continue;
            }
            if (client.lastAck != null) {
                earliest = earlier(earliest, client.lastAck.plus(coolDown(client.uri)), now);
            }
            earliest = earlier(earliest, schedule.nextReady(now).orElse(null), now);
        }
        return Optional.ofNullable(earliest);
    }

    /** The progress of the schedule of {@code uri}, or of every schedule when {@code uri} is empty. */
    List<Progress> progress(String uri) {
        List<Progress> list = new ArrayList<>();
        for (Schedule schedule : schedules.values()) {
            if (uri.isEmpty() || schedule.uri.equals(uri)) {
                list.add(progress(schedule));
            }
        }
        return list;
    }

    int clientCount() {
        return clients.size();
    }

    private Progress progress(Schedule s) {
        return new Progress(s.uri, s.size(), s.done(), s.inFlight(), s.pending(), s.retries(), s.rowsDone(),
                coolDown(s.uri));
    }

    private Duration coolDown(String uri) {
        return coolDowns.getOrDefault(uri, Duration.ZERO);
    }

    /**
     * The client's outstanding chunk that an answer is about, or {@code null} when the answer is
     * to be ignored: nothing was outstanding, or the chunk's schedule has been stopped since.
     */
    private Outstanding answered(Client client) {
        Outstanding out = client.outstanding;
        if (out == null) {
            log.warn("{} answered, but holds no chunk: ignored", client);
            return null;
        }
        if (schedules.get(client.uri) != out.schedule()) {
            client.outstanding = null;
            client.lease = null;
            log.debug("{} answered a chunk of a schedule since stopped: ignored", client);
            return null;
        }
        return out;
    }

    /** Puts {@code seq} (shared) or the client's whole leased table (exact) back at the front of the queue, with backoff. */
    private void putBack(Client client, Schedule schedule, int seq, String reason, Instant now) {
        Lease lease = client.lease;
        List<ChunkState> states = new ArrayList<>();
        if (lease == null) {
            ChunkState chunk = schedule.chunk(seq);
            int retries = chunk.retries() + 1;
            states.add(chunk.requeued(schedule.takeFront(), retries, now.plus(backoff.delay(retries))));
            log.info("{} requeued {} (retry {}, again in {}): {}", client, chunk.chunk(), retries, backoff.delay(retries), reason);
        } else {
            int retries = 0;
            for (int s : lease.seqs) {
                retries = Math.max(retries, schedule.chunk(s).retries() + (s == seq ? 1 : 0));
            }
            Instant notBefore = now.plus(backoff.delay(retries));
            long[] positions = new long[lease.seqs.size()];
            for (int i = positions.length - 1; i >= 0; i--) {
                positions[i] = schedule.takeFront();
            }
            for (int i = 0; i < positions.length; i++) {
                ChunkState chunk = schedule.chunk(lease.seqs.get(i));
                states.add(chunk.requeued(positions[i], chunk.retries() + (chunk.seq() == seq ? 1 : 0), notBefore));
            }
            log.info("{} gave table {} back after {} of {} chunks; the table starts over in {}: {}", client, lease.table.name,
                    lease.next, lease.seqs.size(), backoff.delay(retries), reason);
        }
        store.update(schedule.uri, states);
        if (lease != null) {
            schedule.release(lease.table);
        }
        schedule.apply(states);
        client.outstanding = null;
        client.lease = null;
    }

    private Optional<DumpInfoResponse> next(Client client, Instant now) {
        if (!client.idle()) {
            return Optional.empty();
        }
        Schedule schedule = schedules.get(client.uri);
        if (client.lease != null) {
            if (client.lease.schedule == schedule) {
                Lease lease = client.lease;
                return Optional.of(handOut(client, schedule, lease.seqs.get(lease.next), lease.atLast()));
            }
            client.lease = null;
        }
        if (schedule == null || schedule.finished()
                || (client.lastAck != null && now.isBefore(client.lastAck.plus(coolDown(client.uri))))) {
            return Optional.empty();
        }
        if (client.mode == DeliveryMode.SHARED) {
            return schedule.firstReady(now).map(chunk -> handOut(client, schedule, chunk.seq(), false));
        }
        return schedule.firstLeasable(now).map(table -> {
            List<Integer> seqs = schedule.lease(table);
            client.lease = new Lease(schedule, table, seqs);
            log.debug("{} leases table {} ({} chunks)", client, table.name, seqs.size());
            return handOut(client, schedule, seqs.get(0), seqs.size() == 1);
        });
    }

    private DumpInfoResponse handOut(Client client, Schedule schedule, int seq, boolean lastOfTable) {
        ChunkState state = schedule.chunk(seq).withState(State.IN_FLIGHT);
        commit(schedule, List.of(state));
        client.outstanding = new Outstanding(schedule, seq);
        return state.chunk().toProto(lastOfTable && client.mode == DeliveryMode.EXACT);
    }

    private void commit(Schedule schedule, List<ChunkState> states) {
        store.update(schedule.uri, states);
        schedule.apply(states);
    }

    private static Instant earlier(Instant earliest, Instant candidate, Instant now) {
        if (candidate == null || !candidate.isAfter(now)) {
            return earliest;
        }
        return earliest == null || candidate.isBefore(earliest) ? candidate : earliest;
    }
}
