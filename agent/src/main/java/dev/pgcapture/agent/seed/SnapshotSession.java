package dev.pgcapture.agent.seed;

import dev.pgcapture.agent.SqlScript;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * A consistent view of the source: a temporary logical slot, created on a replication connection
 * with {@code EXPORT_SNAPSHOT}, gives the consistent point {@code cp} and a snapshot name; every
 * connection of this session then runs {@code BEGIN ISOLATION LEVEL REPEATABLE READ; SET
 * TRANSACTION SNAPSHOT '<name>'}, so each sees exactly the transactions whose commit record
 * starts before {@code cp}. The replication connection (and with it the temporary slot) is
 * closed once every connection has imported the snapshot.
 */
final class SnapshotSession implements AutoCloseable {

    static final SqlScript SQL = SqlScript.load(SnapshotSession.class, "seed.sql");
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[0-9A-Fa-f-]+");

    private final Lsn consistentPoint;
    private final List<Connection> connections;

    private SnapshotSession(Lsn consistentPoint, List<Connection> connections) {
        this.consistentPoint = consistentPoint;
        this.connections = connections;
    }

    /**
     * Opens {@code count} connections to {@code source}, all inside one exported snapshot.
     *
     * @param slotWait how long slot creation may wait for running transactions
     * @throws SeedRefusedException naming the sessions it waited for, when {@code slotWait} ran out
     */
    static SnapshotSession open(PostgresUrl source, int count, Duration slotWait) throws SQLException {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Connection c = source.connect();
                connections.add(c);
                sessionSettings(c);
            }
            Lsn cp;
            try (Connection replication = source.connectReplication()) {
                String[] slot = createSlot(source, replication, slotWait);
                cp = Lsn.parse(slot[0]);
                String snapshot = slot[1];
                if (snapshot == null || !SNAPSHOT_NAME.matcher(snapshot).matches()) {
                    throw new SQLException("the source exported no usable snapshot (got " + snapshot + ")");
                }
                for (Connection c : connections) {
                    try (Statement s = c.createStatement()) {
                        s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                        s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
                    }
                }
            }
            return new SnapshotSession(cp, List.copyOf(connections));
        } catch (SQLException | RuntimeException e) {
            for (Connection c : connections) {
                closeQuietly(c, e);
            }
            throw e;
        }
    }

    /**
     * Text values read the same on both sides whatever the servers' defaults, and every name
     * the catalog renders comes schema-qualified.
     */
    static void sessionSettings(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path = pg_catalog, pg_temp");
            s.execute("SET datestyle = ISO, YMD");
            s.execute("SET intervalstyle = postgres");
            s.execute("SET timezone = 'UTC'");
            s.execute("SET extra_float_digits = 3");
        }
    }

    /** {slot's consistent point, snapshot name}. */
    private static String[] createSlot(PostgresUrl source, Connection replication, Duration slotWait) throws SQLException {
        int walsender = replication.unwrap(PGConnection.class).getBackendPID();
        String name = "pgcapture_seed_" + walsender + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        try (Statement s = replication.createStatement();
             SlotWaitWatchdog watchdog = SlotWaitWatchdog.start(source, s, walsender, slotWait)) {
            try (ResultSet r = s.executeQuery("CREATE_REPLICATION_SLOT " + name + " TEMPORARY LOGICAL pgoutput EXPORT_SNAPSHOT")) {
                watchdog.finished();
                r.next();
                return new String[] {r.getString("consistent_point"), r.getString("snapshot_name")};
            } catch (SQLException e) {
                watchdog.finished();
                String blockers = watchdog.blockers();
                if (blockers != null) {
                    throw new SeedRefusedException("creating the seed's temporary replication slot on " + source + " waited "
                            + format(slotWait) + " for transactions running on the source server to end (a consistent "
                            + "snapshot cannot start before them), and they still run: " + blockers
                            + ". Commit or end them, or give --slot-wait more time.");
                }
                throw e;
            }
        }
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The consistent point: transactions committed before it are in the snapshot, none at or after it. */
    Lsn consistentPoint() {
        return consistentPoint;
    }

    /** The connections, each in the snapshot's transaction. */
    List<Connection> connections() {
        return connections;
    }

    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeQuietly(Connection c, Exception cause) {
        try {
            c.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
