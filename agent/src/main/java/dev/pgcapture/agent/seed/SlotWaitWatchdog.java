package dev.pgcapture.agent.seed;

import dev.pgcapture.core.PostgresUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the wait of {@code CREATE_REPLICATION_SLOT}, which blocks until every transaction
 * running on the server when it started has ended. When the wait runs out, it reads who the
 * walsender waits for from {@code pg_stat_activity}, then cancels the command.
 */
final class SlotWaitWatchdog implements AutoCloseable {

    private final PostgresUrl source;
    private final Statement creating;
    private final int walsender;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private boolean finished;
    private String blockers;

    private SlotWaitWatchdog(PostgresUrl source, Statement creating, int walsender) {
        this.source = source;
        this.creating = creating;
        this.walsender = walsender;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("seed-slot-wait").unstarted(r));
    }

    static SlotWaitWatchdog start(PostgresUrl source, Statement creating, int walsender, Duration wait) {
        SlotWaitWatchdog watchdog = new SlotWaitWatchdog(source, creating, walsender);
        watchdog.timer.schedule(watchdog::expire, wait.toMillis(), TimeUnit.MILLISECONDS);
        return watchdog;
    }

    /** The slot command returned (or failed): the watchdog must not cancel anything any more. */
    void finished() {
        synchronized (lock) {
            finished = true;
        }
    }

    /** Who the slot waited for, when the wait ran out; {@code null} when it did not. */
    String blockers() {
        synchronized (lock) {
            return blockers;
        }
    }

    private void expire() {
        String found;
        try (Connection c = source.connect()) {
            found = describeBlockers(c, walsender);
        } catch (SQLException e) {
            found = "(pg_stat_activity could not be read: " + e.getMessage() + ")";
        }
        synchronized (lock) {
            if (finished) {
                return;
            }
            blockers = found;
            try {
                creating.cancel();
            } catch (SQLException e) {
                blockers = found + " (and cancelling the slot creation failed: " + e.getMessage() + ")";
            }
        }
    }

    /** The sessions {@code walsender} waits for, one description each, or what else is known. */
    static String describeBlockers(Connection c, int walsender) throws SQLException {
        List<String> sessions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SnapshotSession.SQL.section("blocking_sessions"))) {
            s.setInt(1, walsender);
            s.setInt(2, walsender);
            s.setInt(3, walsender);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp xactStart = r.getTimestamp(5);
                    sessions.add("pid " + r.getInt(1) + " (user " + r.getString(2)
                            + ", application \"" + nullToEmpty(r.getString(3)) + "\", database " + r.getString(4)
                            + ", transaction started " + (xactStart == null ? "?" : xactStart.toInstant())
                            + ", state " + r.getString(6) + ", query \"" + oneLine(r.getString(7)) + "\")");
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(SnapshotSession.SQL.section("prepared_transactions"));
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                sessions.add("prepared transaction \"" + r.getString(1) + "\" (owner " + r.getString(2) + ", database "
                        + r.getString(3) + ", prepared " + r.getTimestamp(4).toInstant() + "; COMMIT PREPARED or ROLLBACK PREPARED it)");
            }
        }
        return sessions.isEmpty() ? "no session shows a transaction any more (they may just have ended; try again)"
                : String.join("; ", sessions);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String oneLine(String query) {
        return query == null ? "" : query.replaceAll("\\s+", " ").strip();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
