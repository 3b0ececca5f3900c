package dev.pgcapture.bench;

import dev.pgcapture.core.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches one replication slot from a plain connection: when a reader attached to it, and when
 * its {@code confirmed_flush_lsn} reached a given LSN — the moment a peer has drained the WAL
 * up to there and told the server so.
 */
final class SlotWatch {

    /**
     * Times in nanoseconds since the watch started; {@code active} is -1 if never seen.
     * {@code endedEarly}: the watch stopped because the reader ended, not because the slot
     * confirmed the end; {@code confirmed} is then the position at that moment.
     */
    record Drain(long activeNanos, long confirmedNanos, Lsn confirmed, boolean endedEarly) {
    }

    /** Called on every poll with the slot's reader's server process id (0 while none). */
    interface Poll {
        /** @return true when the reader has ended and the watch should stop */
        boolean ended(int walSenderPid);
    }

    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private final Connection connection;
    private final String slot;

    SlotWatch(Connection connection, String slot) {
        this.connection = connection;
        this.slot = slot;
    }

    /**
     * Polls until the slot's confirmed position is at or after {@code end}.
     *
     * @param poll called on every poll; when it says the reader ended, the watch returns
     * @throws IllegalStateException when the deadline passes
     */
    Drain awaitConfirmed(long startNanos, Lsn end, Duration timeout, Poll poll) throws SQLException {
        long active = -1;
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT active, confirmed_flush_lsn::text, coalesce(active_pid, 0) FROM pg_replication_slots WHERE slot_name = ?")) {
            query.setString(1, slot);
            while (true) {
                long now = System.nanoTime();
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("replication slot " + slot + " is gone");
                    }
                    if (active < 0 && row.getBoolean(1)) {
                        active = now - startNanos;
                    }
                    Lsn confirmed = Lsn.parse(row.getString(2));
                    if (confirmed.compareTo(end) >= 0) {
                        return new Drain(active, now - startNanos, confirmed, false);
                    }
                    if (poll.ended(row.getInt(3))) {
                        return new Drain(active, now - startNanos, confirmed, true);
                    }
                    if (now - startNanos > timeout.toNanos()) {
                        throw new IllegalStateException("slot " + slot + " confirmed only " + confirmed + " of " + end + " after " + timeout);
                    }
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
    }

    /** The slot's confirmed position now. */
    Lsn confirmed() throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            query.setString(1, slot);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("replication slot " + slot + " is gone");
                }
                return Lsn.parse(row.getString(1));
            }
        }
    }
}
