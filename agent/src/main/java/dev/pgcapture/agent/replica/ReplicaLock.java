package dev.pgcapture.agent.replica;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The one-writer lock of a replica database: a session-level advisory lock that the applier
 * ({@code pulsar2pg}) and {@code seed} hold while they write, so that two of them never apply to
 * one replica at once. Released when the session ends, so a killed process never leaves it held.
 */
public final class ReplicaLock {

    /** The advisory lock key, "pgcaptur" in ASCII. */
    static final long KEY = 0x7067636170747572L;

    /** How often the lock is tried when its holder keeps letting go just as it is looked for. */
    private static final int LET_GO_ATTEMPTS = 10;

    private ReplicaLock() {
    }

    /**
     * Takes the lock on {@code c}'s session. A holder that lets go between the attempt and the
     * look at who holds it (a seed or applier just ending) is not an answer: the lock is tried
     * again, a bounded number of times.
     *
     * @throws ReplicaBusyException naming the session that holds it
     */
    public static void acquire(Connection c) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            if (tryLock(c)) {
                return;
            }
            Optional<String> holder = holder(c);
            if (holder.isPresent() || attempt == LET_GO_ATTEMPTS) {
                throw new ReplicaBusyException("another pgcapture applier or seed is writing to this replica database ("
                        + holder.orElse("its holder has just let go; try again") + "); only one may run per replica");
            }
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("try_lock"))) {
            s.setLong(1, KEY);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    /** The session holding the lock, described; empty when nobody holds it any more. */
    private static Optional<String> holder(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("lock_holder"))) {
            s.setLong(1, KEY >>> 32);
            s.setLong(2, KEY & 0xFFFFFFFFL);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of("backend pid " + r.getInt(1)
                        + (r.getString(2) == null || r.getString(2).isEmpty() ? "" : ", application \"" + r.getString(2) + "\"")
                        + (r.getString(3) == null ? "" : ", from " + r.getString(3))
                        + ", connected since " + r.getTimestamp(4).toInstant());
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
