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

    private ReplicaCatalog() {
    }

    /**
     * The structure of the replica's table {@code name}, or empty when it has none (plain or
     * partitioned). Needs {@link ReplicaSchema#ensure}, which installs {@code pgcapture.table_structure}.
     */
    public static Optional<TableStructure> table(Connection c, TableName name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SQL.section("table_structure"))) {
            s.setString(1, name.schema());
            s.setString(2, name.table());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(TableStructure.parse(r.getLong(1), r.getString(2))) : Optional.empty();
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
}
