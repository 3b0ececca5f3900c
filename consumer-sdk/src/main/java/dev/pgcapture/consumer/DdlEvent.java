package dev.pgcapture.consumer;

import java.time.Instant;
import java.util.List;

/**
 * A DDL event: the built-in model of {@code pgcapture.ddl_logs}, the table that
 * {@code pgcapture init} creates and its event triggers fill, one row per DDL event at the
 * source. Each row arrives as an {@link Operation#INSERT} change of the transaction that ran
 * the command, among that transaction's other changes; handle it like any model:
 *
 * <pre>{@code
 * Handlers.builder()
 *         .on(DdlEvent.class, change -> {
 *             DdlEvent ddl = change.newRow();
 *             log.info("{} by {}: {}", ddl.tags(), ddl.role(), ddl.query());
 *         })
 * }</pre>
 *
 * <p>Only pgcapture's event triggers ({@code SECURITY DEFINER}) write the table: no other role
 * can forge an event. A command that touches only temporary objects, or pgcapture's own,
 * writes no row. The agent deletes old rows itself; those deletes are not delivered. A
 * statement's rows can reach a consumer <em>before</em> its event: {@code CREATE TABLE AS} and
 * {@code SELECT INTO} write their rows first. A table rewrite ({@code ALTER TABLE ... ALTER
 * COLUMN ... TYPE}, a volatile default, {@code VACUUM FULL}) changes rows without any row
 * change in the stream: a {@link #TABLE_REWRITE} event is the sign that a copy of the table
 * may need a fresh dump.
 *
 * <p>The three {@code jsonb} columns arrive as their JSON text, to be read with any JSON
 * library; their shapes are described on each component.
 *
 * @param id the row's id ({@code bigserial}, the key), increasing in the order the triggers
 *     wrote the rows
 * @param event which event trigger wrote the row: {@link #DDL_COMMAND_END},
 *     {@link #SQL_DROP} or {@link #TABLE_REWRITE}
 * @param tags the command tags of the event ({@code CREATE TABLE}, {@code ALTER TABLE},
 *     {@code DROP TABLE}, ...), each once, in the order they first appeared
 * @param query the text the client sent ({@code current_query()}), for information only: it can
 *     hold several statements, or a {@code DO} block, so that one query can write several events;
 *     {@code null} when PostgreSQL did not know it
 * @param tables the structure of every table the event concerns (plain and partitioned tables;
 *     temporary ones and pgcapture's own left out), as a JSON object keyed by table OID: for
 *     {@code ddl_command_end}, after the command; for {@code table_rewrite}, before the rewrite
 *     (a {@code ddl_command_end} event with the new structure follows in the same transaction);
 *     {@code {}} for {@code sql_drop}. Per table:
 *     <pre>{@code
 * {"16385": {"schema": "public", "table": "items", "relkind": "r",
 *            "replica_identity": "default",          // or "nothing", "full", "index"
 *            "columns": {"1": {"name": "id", "type_schema": "pg_catalog", "type_name": "int8",
 *                              "type_oid": 20, "type_sql": "bigint", "not_null": true,
 *                              "default": "nextval('items_id_seq'::regclass)",  // or null
 *                              "primary_key": true, "primary_key_position": 1,  // or null
 *                              "identity": null,      // or "always", "by default"
 *                              "generated": null,     // or the generation expression
 *                              "binary_sendable": true}},
 *            "types": {"16390": {"schema": "public", "name": "mood"}}}}
 *     }</pre>
 *     Columns are keyed by {@code attnum}: dropped columns are left out, so the numbers can
 *     have gaps. {@code types} names every user type the table's values contain (column types,
 *     array elements, composite attributes, domain bases, range subtypes)
 * @param dropped for {@code sql_drop}, the dropped objects as a JSON array, in the order
 *     {@code pg_event_trigger_dropped_objects()} lists them, temporary ones left out:
 *     {@code [{"class": "pg_class", "oid": 16385, "subid": 0, "type": "table", "schema": "public",
 *     "name": "items", "identity": "public.items", "original": true, "normal": false}]}
 *     ({@code subid} is the column's {@code attnum} for a dropped column); {@code []} for the
 *     other events
 * @param rewritten for {@code table_rewrite}, the rewritten table as a JSON array of one:
 *     {@code [{"oid": 16385, "schema": "public", "table": "items", "reason": 4}]}, where
 *     {@code reason} is PostgreSQL's bit mask (1 persistence, 2 default value, 4 column type,
 *     8 access method); {@code []} for the other events
 * @param role the role that ran the command: the one {@code SET ROLE} chose, else the session's
 * @param loggedAt when the trigger wrote the row (the source's clock)
 */
@PgTable(schema = "pgcapture", name = "ddl_logs")
public record DdlEvent(
        @PgColumn(value = "id", key = true) long id,
        @PgColumn("event") String event,
        @PgColumn("tags") List<String> tags,
        @PgColumn("query") String query,
        @PgColumn("tables") String tables,
        @PgColumn("dropped") String dropped,
        @PgColumn("rewritten") String rewritten,
        @PgColumn("role_name") String role,
        @PgColumn("logged_at") Instant loggedAt) {

    /** {@link #event()} of a command that ran: {@code ddl_command_end}. */
    public static final String DDL_COMMAND_END = "ddl_command_end";
    /** {@link #event()} of objects dropped: {@code sql_drop}. */
    public static final String SQL_DROP = "sql_drop";
    /** {@link #event()} of a table rewritten: {@code table_rewrite}. */
    public static final String TABLE_REWRITE = "table_rewrite";

    /** Whether a command ran ({@link #DDL_COMMAND_END}): {@link #tables()} holds the structure after it. */
    public boolean isCommandEnd() {
        return DDL_COMMAND_END.equals(event);
    }

    /** Whether objects were dropped ({@link #SQL_DROP}): {@link #dropped()} lists them. */
    public boolean isDrop() {
        return SQL_DROP.equals(event);
    }

    /** Whether a table was rewritten ({@link #TABLE_REWRITE}): {@link #rewritten()} names it. */
    public boolean isRewrite() {
        return TABLE_REWRITE.equals(event);
    }
}
