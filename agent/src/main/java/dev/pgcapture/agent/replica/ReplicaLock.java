package dev.pgcapture.agent.replica;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The one-writer lock of a replica database: a session-level advisory lock that the applier
 * ({@code pulsar2pg}) and {@code seed} hold while they write, so that two of them never apply to
 * one replica at once. Released when the session ends, so a killed process never leaves it held.
 */
public final class ReplicaLock {

    /** The advisory lock key, "pgcaptur" in ASCII. */
    static final long KEY = 0x7067636170747572L;

    private ReplicaLock() {
    }

    /**
     * Takes the lock on {@code c}'s session.
     *
     * @throws ReplicaBusyException naming the session that holds it
     */
    public static void acquire(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("try_lock"))) {
            s.setLong(1, KEY);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (r.getBoolean(1)) {
                    return;
                }
            }
        }
        throw new ReplicaBusyException("another pgcapture applier or seed is writing to this replica database ("
                + holder(c) + "); only one may run per replica");
    }

    private static String holder(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("lock_holder"))) {
            s.setLong(1, KEY >>> 32);
            s.setLong(2, KEY & 0xFFFFFFFFL);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return "its holder has just let go; try again";
                }
                return "backend pid " + r.getInt(1)
                        + (r.getString(2) == null || r.getString(2).isEmpty() ? "" : ", application \"" + r.getString(2) + "\"")
                        + (r.getString(3) == null ? "" : ", from " + r.getString(3))
                        + ", connected since " + r.getTimestamp(4).toInstant();
            }
        }
    }

    /** Another applier or seed holds the replica. */
    public static final class ReplicaBusyException extends SQLException {

        ReplicaBusyException(String message) {
            super(message);
        }
    }
}
