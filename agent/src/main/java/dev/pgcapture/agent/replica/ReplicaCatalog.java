package dev.pgcapture.agent.replica;

import dev.pgcapture.agent.SqlScript;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What the replica's own catalog says about a table: its structure in the very form
 * {@code pgcapture.table_structure} gives on the source (the replica's OID, attnums and type
 * OIDs, names and expressions rendered the same way), its primary key constraint, and whether a
 * type exists. For the DDL applier, and for whoever compares or serves replica tables (seed,
 * dumps). Tables are looked up by name through parameters, so any name is safe.
 */
public final class ReplicaCatalog {

    private static final SqlScript SQL = SqlScript.load(ReplicaCatalog.class, "catalog.sql");
    /** The search_path pgcapture.table_structure runs with on the source. */
    private static final String SOURCE_SEARCH_PATH = "pg_catalog, pg_temp";

    private ReplicaCatalog() {
    }

    /** The structure of the replica's table {@code name}, or empty when it has none (plain or partitioned). */
    public static Optional<TableStructure> table(Connection c, TableName name) throws SQLException {
        String saved = single(c, SQL.section("search_path"));
        setSearchPath(c, SOURCE_SEARCH_PATH);
        SQLException failure = null;
        try (PreparedStatement s = c.prepareStatement(SQL.section("table_structure"))) {
            s.setString(1, name.schema());
            s.setString(2, name.table());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(TableStructure.parse(r.getLong(1), r.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            failure = e;
            throw e;
        } finally {
            try {
                setSearchPath(c, saved);
            } catch (SQLException e) {
                // In a transaction the failure aborted, its rollback restores the setting.
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    /** The name of the primary key constraint of the replica's table {@code name}, or empty when it has none. */
    public static Optional<String> primaryKeyName(Connection c, TableName name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SQL.section("primary_key_name"))) {
            s.setString(1, name.schema());
            s.setString(2, name.table());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /** Whether the replica has a type {@code schema.name} ({@code pg_type.typname}, so {@code _mood} for an array). */
    public static boolean typeExists(Connection c, String schema, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SQL.section("type_exists"))) {
            s.setString(1, schema);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getString(1);
        }
    }

    private static void setSearchPath(Connection c, String searchPath) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SQL.section("set_search_path"))) {
            s.setString(1, searchPath);
            s.executeQuery().close();
        }
    }
}
