package dev.pgcapture.agent.setup;

import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code pgcapture.ddl_logs}: the table {@code pgcapture init} creates and the event triggers
 * fill, one row per DDL event. Capture publishes it; each INSERT on it is a DDL event for
 * consumers. Only the event triggers (SECURITY DEFINER) write it: PUBLIC has no right on the
 * schema or the table, so no other role can forge an event.
 *
 * <p>Columns:
 * <ul>
 *   <li>{@code id bigserial} primary key, increasing in insertion order;
 *   <li>{@code event text}: {@code ddl_command_end}, {@code sql_drop} or {@code table_rewrite};
 *   <li>{@code tags text[]}: the command tags ({@code CREATE TABLE}, {@code ALTER TABLE}, …), each
 *       once, in order of first appearance;
 *   <li>{@code query text}: {@code current_query()}, information only: it can be a whole
 *       multi-statement string or a DO block, so one query can yield several rows;
 *   <li>{@code tables jsonb}: the structure, after the command, of every affected table (plain
 *       and partitioned; temporary and pgcapture's own left out), keyed by table OID (text):
 *       <pre>{"16385": {"schema": "public", "table": "t", "relkind": "r",
 *          "replica_identity": "default|nothing|full|index",
 *          "columns": {"1": {"name": "id", "type_schema": "pg_catalog", "type_name": "int4",
 *                            "type_oid": 23, "type_sql": "integer", "not_null": true,
 *                            "default": "nextval('t_id_seq'::regclass)" or null,
 *                            "primary_key": true, "primary_key_position": 1 or null,
 *                            "identity": "always|by default" or null,
 *                            "generated": "expression" or null, "binary_sendable": true}}}}</pre>
 *       keyed by {@code attnum} (text); dropped columns are absent, so attnums can have gaps.
 *       For a {@code table_rewrite} row it is the table's structure before the rewrite (a
 *       {@code ddl_command_end} row with the new structure follows in the same transaction);
 *   <li>{@code dropped jsonb}: for {@code sql_drop}, an array of the dropped objects from
 *       {@code pg_event_trigger_dropped_objects()}, temporary ones left out: {@code {"class":
 *       "pg_class", "oid": 16385, "subid": 0, "type": "table", "schema": "public", "name": "t",
 *       "identity": "public.t", "original": true, "normal": false}}; {@code []} otherwise;
 *   <li>{@code rewritten jsonb}: for {@code table_rewrite}, {@code [{"oid": 16385, "schema":
 *       "public", "table": "t", "reason": 2}]} (reason is PostgreSQL's bit mask: 1 persistence,
 *       2 default value, 4 column type, 8 access method); a rewrite changes no rows in the WAL
 *       stream, so a replica re-seeds that table; {@code []} otherwise;
 *   <li>{@code role_name name}: the role that ran the DDL ({@code SET ROLE}'s role, else the session user);
 *   <li>{@code logged_at timestamptz}: when the row was written.
 * </ul>
 * A command that touches only temporary objects (or pgcapture's own) writes no row.
 */
public final class DdlLogs {

    /** {@code pgcapture.ddl_logs}, ready to put into SQL. */
    public static final String TABLE = "pgcapture.ddl_logs";

    /** The same table as a {@link TableName}. */
    public static final TableName TABLE_NAME = new TableName("pgcapture", "ddl_logs");

    private DdlLogs() {
    }

    /**
     * Deletes the rows older than {@code keep} and returns how many. Safe at any time: capture
     * decodes the WAL, so deleting a committed row never loses its event.
     */
    public static int prune(Connection c, Duration keep) throws SQLException {
        Objects.requireNonNull(keep, "keep");
        if (keep.isNegative()) {
            throw new IllegalArgumentException("keep must not be negative, was " + keep);
        }
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM " + TABLE + " WHERE logged_at < clock_timestamp() - ? * interval '1 millisecond'")) {
            s.setLong(1, keep.toMillis());
            return s.executeUpdate();
        }
    }
}
