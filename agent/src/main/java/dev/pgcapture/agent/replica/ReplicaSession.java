package dev.pgcapture.agent.replica;

import dev.pgcapture.agent.FatalAgentException;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The applier's connection to the replica, set up as logical replication's apply worker is: the
 * one-writer lock, a replication origin (so the replica's own changes can be told from applied
 * ones, and each commit records the source position it came from) and
 * {@code session_replication_role = replica} (user triggers and foreign-key triggers do not fire:
 * the source already ran them). Needs a superuser, or the rights on the replication origin
 * functions and to set {@code session_replication_role}.
 */
final class ReplicaSession {

    /** The replication origin every replica of this project applies under. */
    static final String ORIGIN = "pgcapture";

    private ReplicaSession() {
    }

    /**
     * Connects, takes the one-writer lock and creates the bookkeeping schema if missing; leaves the
     * connection in a transaction (auto-commit off).
     *
     * @throws FatalAgentException when another applier or seed holds the replica
     */
    static Connection open(PostgresUrl replica) throws SQLException, FatalAgentException {
        Connection c = replica.connect();
        try {
            try (Statement s = c.createStatement()) {
                s.execute("SET application_name = 'pgcapture pulsar2pg'");
            }
            try {
                ReplicaLock.acquire(c);
            } catch (ReplicaLock.ReplicaBusyException e) {
                throw new FatalAgentException("cannot apply to " + replica + ": " + e.getMessage(), e);
            }
            ReplicaSchema.ensure(c);
            setUpOrigin(c, replica);
            c.setAutoCommit(false);
            return c;
        } catch (SQLException | FatalAgentException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static void setUpOrigin(Connection c, PostgresUrl replica) throws SQLException, FatalAgentException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_replication_origin_create('" + ORIGIN + "') WHERE pg_replication_origin_oid('" + ORIGIN + "') IS NULL");
            s.execute("SELECT pg_replication_origin_session_setup('" + ORIGIN + "')");
            s.execute("SET session_replication_role = replica");
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new FatalAgentException("the role " + replica.user() + " on " + replica + " may not apply changes: " + e.getMessage()
                        + " (the applier needs a superuser, or EXECUTE on the pg_replication_origin_* functions and the right to SET "
                        + "session_replication_role)", e);
            }
            throw e;
        }
    }

    /** Marks the open replica transaction as applying the source commit that ended at {@code endLsn}. */
    static void originCommit(Connection c, Lsn endLsn, Instant commitTime) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_replication_origin_xact_setup(?::pg_lsn, ?)")) {
            s.setString(1, endLsn.toString());
            s.setTimestamp(2, Timestamp.from(commitTime));
            try (ResultSet r = s.executeQuery()) {
                r.next();
            }
        }
    }
}
