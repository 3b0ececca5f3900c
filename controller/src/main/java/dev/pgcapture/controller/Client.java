package dev.pgcapture.controller;

import dev.pgcapture.core.DeliveryMode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One {@code PullDumpInfo} stream: a gateway consumer stream asking for the chunks of one URI.
 * Holds at most one chunk outstanding; in exact mode, the table it leases. Mutated only by the
 * {@link Scheduler}, under its caller's lock.
 */
final class Client {

    /** The chunk a client holds: {@code seq} of {@code schedule} (which may since have been stopped). */
    record Outstanding(Schedule schedule, int seq) {
    }

    /** An exact-mode lease: the chunks of one table, handed to this client one after another. */
    static final class Lease {
        final Schedule schedule;
        final Schedule.Table table;
        final List<Integer> seqs;
        int next;

        Lease(Schedule schedule, Schedule.Table table, List<Integer> seqs) {
            this.schedule = schedule;
            this.table = table;
            this.seqs = List.copyOf(seqs);
        }

        boolean atLast() {
            return next == seqs.size() - 1;
        }
    }

    final long id;
    final String uri;
    final DeliveryMode mode;
    Outstanding outstanding;
    Lease lease;
    /** When it last acknowledged a chunk (shared) or completed a table (exact); {@code null}: never. */
    Instant lastAck;

    Client(long id, String uri, DeliveryMode mode) {
        this.id = id;
        this.uri = Objects.requireNonNull(uri, "uri");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    boolean idle() {
        return outstanding == null;
    }

    @Override
    public String toString() {
        return "client " + id + " (" + mode.parameterValue() + ") of URI " + uri;
    }
}
