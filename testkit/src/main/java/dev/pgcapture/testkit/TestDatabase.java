package dev.pgcapture.testkit;

import dev.pgcapture.core.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database of its own for one test, on a {@link TestPostgres} server, with helpers for the
 * objects logical replication needs. Names it makes are unique, so tests never share state.
 */
public final class TestDatabase {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final PostgresEndpoint endpoint;
    private final String name;

    TestDatabase(PostgresEndpoint endpoint, String name) {
        this.endpoint = endpoint;
        this.name = name;
    }

    /** The database's name. */
    public String name() {
        return name;
    }

    /** A JDBC URL for this database, as the superuser. */
    public String jdbcUrl() {
        return endpoint.jdbcUrl(name);
    }

    /** How to reach the server. */
    public PostgresEndpoint endpoint() {
        return endpoint;
    }

    /** A new ordinary connection, autocommit on. The caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** A new logical replication connection ({@code replication=database}). The caller closes it. */
    public Connection connectReplication() throws SQLException {
        return PostgresUrl.parse(jdbcUrl()).connectReplication();
    }

    /** Runs each statement in its own autocommit transaction. */
    public void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Whether a walsender streams from the replication slot {@code slot} now. */
    public boolean slotActive(String slot) throws SQLException {
        try (Connection c = connect();
                java.sql.PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active")) {
            s.setString(1, slot);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1) > 0;
            }
        }
    }

    /** Creates a publication for all tables and returns its name. */
    public String createPublicationForAllTables() throws SQLException {
        String publication = uniqueName("pub");
        execute("CREATE PUBLICATION " + publication + " FOR ALL TABLES");
        return publication;
    }

    /** Creates a logical replication slot with the {@code pgoutput} plugin and returns its name. */
    public String createPgoutputSlot() throws SQLException {
        String slot = uniqueName("slot");
        try (Connection c = connect();
             var rs = c.createStatement().executeQuery(
                     "SELECT slot_name FROM pg_create_logical_replication_slot('" + slot + "', 'pgoutput')")) {
            rs.next();
        }
        return slot;
    }

    /** A name no other test uses: {@code prefix}, a counter and this database's name. */
    public String uniqueName(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet() + "_" + name;
    }
}
