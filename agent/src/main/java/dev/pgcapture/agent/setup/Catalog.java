package dev.pgcapture.agent.setup;

import dev.pgcapture.agent.SqlScript;
import dev.pgcapture.core.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The catalog questions {@link CaptureSetup} and {@link Preflight} both ask: which tables a
 * publication would publish, which of them cannot be captured fully, which columns binary mode
 * cannot send, and which pgcapture objects exist.
 */
final class Catalog {

    static final String SCHEMA = "pgcapture";
    static final SqlScript SQL = SqlScript.load(Catalog.class, "setup.sql");
    static final List<String> EVENT_TRIGGERS =
            List.of("pgcapture_ddl_command_end", "pgcapture_sql_drop", "pgcapture_table_rewrite");
    static final List<String> FUNCTIONS = List.of("type_parts", "binary_sendable", "table_structure", "log_ddl");

    /** A table a publication would publish. */
    record PublishedTable(long oid, TableName name, char replicaIdentity, boolean hasPrimaryKey) {

        /** UPDATE and DELETE fail on it once it is published: no key to identify the old row. */
        boolean updatesWouldFail() {
            return replicaIdentity == 'n' || (replicaIdentity == 'd' && !hasPrimaryKey);
        }

        String replicaIdentityName() {
            return switch (replicaIdentity) {
                case 'd' -> "DEFAULT";
                case 'n' -> "NOTHING";
                case 'f' -> "FULL";
                case 'i' -> "USING INDEX";
                default -> String.valueOf(replicaIdentity);
            };
        }
    }

    /** A column binary mode cannot send. */
    record UnsendableColumn(TableName table, String column, String type) {
    }

    /** A logical replication slot as {@code pg_replication_slots} shows it. */
    record Slot(String plugin, String database, boolean active) {
    }

    private Catalog() {
    }

    /** The OIDs of the listed tables; throws naming every table that does not exist. */
    static List<Long> tableOids(Connection c, List<TableName> tables) throws SQLException {
        List<Long> oids = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            for (TableName table : tables) {
                s.setString(1, table.schema());
                s.setString(2, table.table());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        oids.add(rs.getLong(1));
                    } else {
                        missing.add(table.quoted());
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new SetupRefusedException("pgcapture", List.of("--tables names tables that do not exist (or are no tables): "
                    + String.join(", ", missing) + "; create them first or correct the list"));
        }
        return oids;
    }

    /** The tables a publication for {@code tables} (empty: all tables) publishes, pgcapture.ddl_logs aside. */
    static List<PublishedTable> publishedTables(Connection c, List<TableName> tables) throws SQLException {
        Long[] oids = tables.isEmpty() ? null : tableOids(c, tables).toArray(Long[]::new);
        List<PublishedTable> published = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(Catalog.SQL.section("published_tables"))) {
            Array array = oids == null ? null : c.createArrayOf("oid", oids);
            for (int i = 1; i <= 3; i++) {
                s.setArray(i, array);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    TableName name = new TableName(rs.getString(2), rs.getString(3));
                    if (name.schema().equals(SCHEMA)) {
                        continue;
                    }
                    published.add(new PublishedTable(rs.getLong(1), name, rs.getString(4).charAt(0), rs.getBoolean(5)));
                }
            }
        }
        return published;
    }

    /**
     * The columns of these tables binary mode cannot send. Uses {@code pgcapture.binary_sendable}
     * when init installed it, else a temporary copy (dropped with the session, or with the
     * caller's transaction when that is rolled back).
     */
    static List<UnsendableColumn> unsendableColumns(Connection c, List<PublishedTable> tables) throws SQLException {
        String schema = SCHEMA;
        if (!functionExists(c, "binary_sendable")) {
            schema = "pg_temp";
            if (!exists(c, "SELECT FROM pg_proc WHERE proname = 'binary_sendable' AND pronamespace = pg_my_temp_schema()")) {
                try (Statement s = c.createStatement()) {
                    s.execute(Catalog.SQL.section("create_type_parts", schema));
                    s.execute(Catalog.SQL.section("create_binary_sendable", schema));
                }
            }
        }
        List<UnsendableColumn> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(Catalog.SQL.section("unsendable_columns", schema))) {
            s.setArray(1, c.createArrayOf("oid", tables.stream().map(PublishedTable::oid).toArray(Long[]::new)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(new UnsendableColumn(new TableName(rs.getString(1), rs.getString(2)),
                            rs.getString(3), rs.getString(4)));
                }
            }
        }
        return columns;
    }

    static boolean schemaExists(Connection c) throws SQLException {
        return exists(c, "SELECT FROM pg_namespace WHERE nspname = ?", SCHEMA);
    }

    static boolean ddlLogsExists(Connection c) throws SQLException {
        return exists(c, "SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = 'ddl_logs'", SCHEMA);
    }

    static boolean functionExists(Connection c, String name) throws SQLException {
        return exists(c, "SELECT FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE n.nspname = ? AND p.proname = ?", SCHEMA, name);
    }

    /** The event trigger's enabled state ({@code A} always, {@code O} origin, {@code D} disabled), if it exists. */
    static Optional<String> eventTrigger(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT evtenabled::text FROM pg_event_trigger WHERE evtname = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    static boolean publicationExists(Connection c, String publication) throws SQLException {
        return exists(c, "SELECT FROM pg_publication WHERE pubname = ?", publication);
    }

    static Optional<Slot> slot(Connection c, String slot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT coalesce(plugin, '(physical)'), coalesce(database, ''), active FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Slot(rs.getString(1), rs.getString(2), rs.getBoolean(3))) : Optional.empty();
            }
        }
    }

    static String currentDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static boolean exists(Connection c, String query, String... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
