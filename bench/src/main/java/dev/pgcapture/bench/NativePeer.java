package dev.pgcapture.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's native logical replication of one table to a replica database of the same server,
 * as a reference for latency: the replica's table has an extra column {@code applied_at
 * timestamptz DEFAULT clock_timestamp()}, which the apply worker fills (columns the publisher does
 * not send take their default), so each row says when it was applied. Closing drops the
 * subscription, its slot and the replica database.
 */
final class NativePeer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NativePeer.class);

    private final BenchDatabases databases;
    private final String source;
    private final String replica;
    private final String table;
    private final String slot;
    private Connection connection;

    NativePeer(BenchDatabases databases, String source, String replica, String table, String slot) {
        this.databases = databases;
        this.source = source;
        this.replica = replica;
        this.table = table;
        this.slot = slot;
    }

    /** Creates the replica with {@code table} of {@code columns} plus {@code applied_at}, and subscribes it to the source's table. */
    void start(String columns) throws SQLException {
        try (Connection admin = databases.connect("postgres")) {
            BenchDatabases.execute(admin, "DROP DATABASE IF EXISTS " + replica);
            BenchDatabases.execute(admin, "CREATE DATABASE " + replica);
        }
        try (Connection src = databases.connect(source)) {
            BenchDatabases.execute(src, "CREATE PUBLICATION " + slot + " FOR TABLE " + table);
            // A subscription to the same server cannot create its slot itself.
            BenchDatabases.execute(src, "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        }
        connection = databases.connect(replica);
        String cols = columns.substring(0, columns.lastIndexOf(')')) + ", applied_at timestamptz DEFAULT clock_timestamp())";
        BenchDatabases.execute(connection, "CREATE TABLE " + table + " " + cols);
        BenchDatabases.execute(connection, "CREATE SUBSCRIPTION " + slot + " CONNECTION 'host=" + databases.postgres().host()
                + " port=" + databases.postgres().port() + " dbname=" + source + " user=" + dev.pgcapture.embedded.LocalPostgres.SUPERUSER
                + "' PUBLICATION " + slot + " WITH (create_slot = false, slot_name = '" + slot + "', copy_data = false)");
    }

    /**
     * Waits until the replica holds every id in {@code [from, to)} and returns their
     * {@code applied_at} in microseconds since the epoch, by {@code id - from}.
     */
    long[] awaitApplied(long from, long to, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE id >= ? AND id < ?")) {
            count.setLong(1, from);
            count.setLong(2, to);
            while (true) {
                try (ResultSet r = count.executeQuery()) {
                    r.next();
                    if (r.getLong(1) == to - from) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("native logical replication applied " + r.getLong(1) + " of " + (to - from)
                                + " rows within " + timeout);
                    }
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
        long[] applied = new long[(int) (to - from)];
        try (PreparedStatement read = connection.prepareStatement("SELECT id, (extract(epoch FROM applied_at) * 1000000)::bigint FROM "
                + table + " WHERE id >= ? AND id < ?")) {
            read.setLong(1, from);
            read.setLong(2, to);
            try (ResultSet r = read.executeQuery()) {
                while (r.next()) {
                    applied[(int) (r.getLong(1) - from)] = r.getLong(2);
                }
            }
        }
        return applied;
    }

    @Override
    public void close() throws SQLException {
        if (connection == null) {
            return;
        }
        try {
            BenchDatabases.execute(connection, "ALTER SUBSCRIPTION " + slot + " DISABLE");
            BenchDatabases.execute(connection, "ALTER SUBSCRIPTION " + slot + " SET (slot_name = NONE)");
            BenchDatabases.execute(connection, "DROP SUBSCRIPTION " + slot);
        } catch (SQLException e) {
            log.warn("could not drop subscription {}: {}", slot, e.getMessage());
        } finally {
            connection.close();
        }
        try (Connection admin = databases.connect("postgres")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    BenchDatabases.execute(admin, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                            + slot + "'");
                    break;
                } catch (SQLException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    // active until the disabled subscription's walsender has ended
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
            }
            BenchDatabases.execute(admin, "DROP DATABASE IF EXISTS " + replica + " WITH (FORCE)");
        }
    }
}
