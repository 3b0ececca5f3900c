package dev.pgcapture.agent.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A source (with {@code pgcapture init} done) and a replica for one seed test, and how to compare them. */
final class SeedDatabases implements AutoCloseable {

    final TestDatabase source;
    final TestDatabase replica;

    private SeedDatabases(TestDatabase source, TestDatabase replica) {
        this.source = source;
        this.replica = replica;
    }

    /** Runs init on {@code source} (its slot named after the database: slots are per server). */
    static SeedDatabases init(TestDatabase source, TestDatabase replica) throws SQLException {
        try (Connection c = source.connect()) {
            new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(source.name())).init(c);
        }
        return new SeedDatabases(source, replica);
    }

    SeedSettings settings() {
        return SeedSettings.of(PostgresUrl.parse(source.jdbcUrl()), PostgresUrl.parse(replica.jdbcUrl()));
    }

    /** Every row of a table as text, sorted: equal lists mean equal contents (duplicates included). */
    static List<String> rows(TestDatabase db, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT x::text FROM " + table + " x ORDER BY x::text")) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }

    /**
     * A table's structure as the catalog describes it, without OIDs or attnums: per column in
     * order its name, formatted type, not-null, default, identity, generated expression, and
     * position in the primary key. Rendered with only pg_catalog on the search path, so names
     * come qualified the same way on both sides.
     */
    static List<String> structure(TestDatabase db, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = db.connect()) {
            c.createStatement().execute("SET search_path = pg_catalog");
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                           a.attidentity, a.attgenerated, array_position(i.indkey::int2[], a.attnum)
                    FROM pg_attribute a
                    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
                    WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
                    ORDER BY a.attnum""")) {
                s.setString(1, table);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        columns.add(String.join(" | ", r.getString(1), r.getString(2), r.getString(3), String.valueOf(r.getString(4)),
                                r.getString(5), r.getString(6), String.valueOf(r.getString(7))));
                    }
                }
            }
        }
        return columns;
    }

    /** The replica's {@code pgcapture.tables}: table name to (apply_from, needs_seed). */
    Map<String, String> registry() throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        try (Connection c = replica.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT format('%I.%I', structure->>'schema', structure->>'table'), apply_from::text, needs_seed "
                     + "FROM pgcapture.tables")) {
            while (r.next()) {
                tables.put(r.getString(1), r.getString(2) + (r.getBoolean(3) ? " needs_seed" : ""));
            }
        }
        return tables;
    }

    void assertSameTable(String table) throws SQLException {
        assertEquals(structure(source, table), structure(replica, table), "structure of " + table);
        assertEquals(rows(source, table), rows(replica, table), "rows of " + table);
    }

    @Override
    public void close() throws SQLException {
        source.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + source.name() + "'");
    }
}
