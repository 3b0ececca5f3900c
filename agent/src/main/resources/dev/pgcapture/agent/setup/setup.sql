-- The SQL of `pgcapture init`, `drop` and `check`, one named section per step.
-- A section starts with a line "-- :section <name>" and runs as one JDBC statement.
-- @SCHEMA@ is replaced by the schema a function goes to: pgcapture, or pg_temp for a
-- preflight that must leave nothing behind.

-- :section create_schema
CREATE SCHEMA pgcapture;
REVOKE ALL ON SCHEMA pgcapture FROM PUBLIC;
COMMENT ON SCHEMA pgcapture IS 'pgcapture: DDL capture. Created by pgcapture init, removed by pgcapture init --drop.';

-- :section create_ddl_logs
CREATE TABLE pgcapture.ddl_logs (
    id         bigserial   PRIMARY KEY,
    event      text        NOT NULL CHECK (event IN ('ddl_command_end', 'sql_drop', 'table_rewrite')),
    tags       text[]      NOT NULL,
    query      text,
    tables     jsonb       NOT NULL DEFAULT '{}',
    dropped    jsonb       NOT NULL DEFAULT '[]',
    rewritten  jsonb       NOT NULL DEFAULT '[]',
    role_name  name        NOT NULL,
    logged_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
REVOKE ALL ON TABLE pgcapture.ddl_logs FROM PUBLIC;
REVOKE ALL ON SEQUENCE pgcapture.ddl_logs_id_seq FROM PUBLIC;
COMMENT ON TABLE pgcapture.ddl_logs IS 'pgcapture: one row per DDL event, written only by the pgcapture event triggers; see dev.pgcapture.agent.setup.DdlLogs.';

-- :section create_type_parts
-- The types a value of each of these types is made of, the types themselves included: array
-- elements, domain bases, composite attributes, range subtypes and multirange ranges,
-- recursively. (typelem also links a few fixed-size built-in types such as point to their
-- parts, which is harmless for every caller.)
CREATE OR REPLACE FUNCTION @SCHEMA@.type_parts(types oid[]) RETURNS SETOF oid
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $fn$
    WITH RECURSIVE part(oid) AS (
        SELECT DISTINCT u.oid FROM unnest(types) u(oid)
      UNION
        SELECT c.oid
        FROM part p
        JOIN pg_type t ON t.oid = p.oid
        CROSS JOIN LATERAL (
            SELECT t.typelem WHERE t.typelem <> 0
            UNION ALL SELECT t.typbasetype WHERE t.typtype = 'd'
            UNION ALL SELECT a.atttypid FROM pg_attribute a
                WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL SELECT r.rngsubtype FROM pg_range r WHERE t.typtype = 'r' AND r.rngtypid = t.oid
            UNION ALL SELECT r.rngtypid FROM pg_range r WHERE t.typtype = 'm' AND r.rngmultitypid = t.oid
        ) c(oid)
    )
    SELECT oid FROM part
$fn$;

-- :section create_binary_sendable
-- Whether pgoutput's binary mode can send a value of type typ. A type without a send function
-- is sent as text (pgoutput falls back per column), but an array, composite, domain, range or
-- multirange over such a type is sent with its container's send function, which fails on the
-- element: the walsender then errors at the same LSN forever. Checked through all its parts.
CREATE OR REPLACE FUNCTION @SCHEMA@.binary_sendable(typ oid) RETURNS boolean
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT coalesce((SELECT t.typsend::oid = 0 FROM pg_type t WHERE t.oid = typ), false)
        OR NOT EXISTS (SELECT FROM @SCHEMA@.type_parts(ARRAY[typ]) part(oid) JOIN pg_type t ON t.oid = part.oid
                       WHERE part.oid <> typ AND t.typsend::oid = 0)
$fn$;

-- :section create_table_structure
-- The structure of the tables with these OIDs (temporary ones and pgcapture's own left out),
-- as ddl_logs.tables holds it: {"<table oid>": {"schema", "table", "relkind", "replica_identity",
-- "columns": {"<attnum>": {...}}, "types": {"<type oid>": {"schema", "name"}}}}. "types" names
-- every user type (OID >= 16384) the columns' values contain: column types, array elements,
-- composite attributes, domain bases, range subtypes, so that a replica can map the type OIDs
-- embedded in binary arrays and composites.
CREATE OR REPLACE FUNCTION pgcapture.table_structure(tables oid[]) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT coalesce(jsonb_object_agg(c.oid::text, jsonb_build_object(
            'schema', n.nspname,
            'table', c.relname,
            'relkind', c.relkind::text,
            'replica_identity', CASE c.relreplident WHEN 'd' THEN 'default' WHEN 'n' THEN 'nothing'
                                WHEN 'f' THEN 'full' WHEN 'i' THEN 'index' END,
            'columns', (
                SELECT coalesce(jsonb_object_agg(a.attnum::text, jsonb_build_object(
                        'name', a.attname,
                        'type_schema', tn.nspname,
                        'type_name', t.typname,
                        'type_oid', a.atttypid::bigint,
                        'type_sql', format_type(a.atttypid, a.atttypmod),
                        'not_null', a.attnotnull,
                        'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                        'primary_key', coalesce(a.attnum = ANY (pk.indkey::int2[]), false),
                        'primary_key_position', (SELECT k.n FROM unnest(pk.indkey::int2[]) WITH ORDINALITY k(attnum, n) WHERE k.attnum = a.attnum),
                        'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
                        'generated', CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                        'binary_sendable', pgcapture.binary_sendable(a.atttypid)
                    ) ORDER BY a.attnum), '{}'::jsonb)
                FROM pg_attribute a
                JOIN pg_type t ON t.oid = a.atttypid
                JOIN pg_namespace tn ON tn.oid = t.typnamespace
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                LEFT JOIN pg_index pk ON pk.indrelid = a.attrelid AND pk.indisprimary
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
            'types', (
                SELECT coalesce(jsonb_object_agg(t.oid::text, jsonb_build_object('schema', tn.nspname, 'name', t.typname)), '{}'::jsonb)
                FROM pgcapture.type_parts(ARRAY(SELECT a.atttypid FROM pg_attribute a
                                                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)) r(oid)
                JOIN pg_type t ON t.oid = r.oid
                JOIN pg_namespace tn ON tn.oid = t.typnamespace
                WHERE t.oid >= 16384)
        )), '{}'::jsonb)
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = ANY (tables)
      AND c.relkind IN ('r', 'p')
      AND c.relpersistence <> 't'
      AND n.nspname <> 'pgcapture'
$fn$;

-- :section create_log_ddl
-- The event trigger function. SECURITY DEFINER, so the roles that run DDL need no right on
-- pgcapture.ddl_logs; an event trigger function cannot be called directly, so nobody can forge
-- a row through it. role_name is the role that ran the DDL: SET ROLE's role, else the session's.
CREATE FUNCTION pgcapture.log_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    actor name := CASE current_setting('role') WHEN 'none' THEN session_user::name
                  ELSE current_setting('role')::name END;
    tags text[];
    relids oid[];
    dropped_objects jsonb;
    rewritten_table jsonb;
    rewritten_oid oid;
BEGIN
    IF TG_EVENT = 'ddl_command_end' THEN
        WITH cmd AS (
            SELECT c.command_tag, c.classid, c.objid, c.schema_name, c.ordinality
            FROM pg_event_trigger_ddl_commands() WITH ORDINALITY c
            WHERE c.schema_name IS DISTINCT FROM 'pgcapture'
              AND (c.schema_name IS NULL
                   OR (SELECT ns.oid FROM pg_namespace ns WHERE ns.nspname = c.schema_name)
                      IS DISTINCT FROM pg_my_temp_schema())
              AND NOT (c.classid = 'pg_class'::regclass
                       AND EXISTS (SELECT FROM pg_class r WHERE r.oid = c.objid AND r.relpersistence = 't'))
        )
        SELECT (SELECT array_agg(t.command_tag ORDER BY t.first)
                FROM (SELECT command_tag, min(ordinality) AS first FROM cmd GROUP BY command_tag) t),
               (SELECT array_agg(DISTINCT coalesce(i.indrelid, r.oid))
                FROM cmd
                JOIN pg_class r ON cmd.classid = 'pg_class'::regclass AND r.oid = cmd.objid
                LEFT JOIN pg_index i ON i.indexrelid = r.oid)
        INTO tags, relids;
        IF tags IS NULL THEN
            RETURN;
        END IF;
        INSERT INTO pgcapture.ddl_logs (event, tags, query, tables, role_name)
        VALUES (TG_EVENT, tags, current_query(),
                pgcapture.table_structure(coalesce(relids, '{}')), actor);
    ELSIF TG_EVENT = 'sql_drop' THEN
        SELECT jsonb_agg(jsonb_build_object(
                   'class', d.classid::regclass::text,
                   'oid', d.objid::bigint,
                   'subid', d.objsubid,
                   'type', d.object_type,
                   'schema', d.schema_name,
                   'name', d.object_name,
                   'identity', d.object_identity,
                   'original', d.original,
                   'normal', d.normal) ORDER BY d.ordinality)
        INTO dropped_objects
        FROM pg_event_trigger_dropped_objects() WITH ORDINALITY d
        WHERE NOT d.is_temporary
          AND d.schema_name IS DISTINCT FROM 'pgcapture';
        IF dropped_objects IS NULL THEN
            RETURN;
        END IF;
        INSERT INTO pgcapture.ddl_logs (event, tags, query, dropped, role_name)
        VALUES (TG_EVENT, ARRAY[TG_TAG], current_query(), dropped_objects, actor);
    ELSIF TG_EVENT = 'table_rewrite' THEN
        rewritten_oid := pg_event_trigger_table_rewrite_oid();
        SELECT jsonb_build_array(jsonb_build_object(
                   'oid', r.oid::bigint,
                   'schema', n.nspname,
                   'table', r.relname,
                   'reason', pg_event_trigger_table_rewrite_reason()))
        INTO rewritten_table
        FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
        WHERE r.oid = rewritten_oid AND r.relpersistence <> 't' AND n.nspname <> 'pgcapture';
        IF rewritten_table IS NULL THEN
            RETURN;
        END IF;
        INSERT INTO pgcapture.ddl_logs (event, tags, query, tables, rewritten, role_name)
        VALUES (TG_EVENT, ARRAY[TG_TAG], current_query(),
                pgcapture.table_structure(ARRAY[rewritten_oid]), rewritten_table, actor);
    END IF;
END
$fn$;
REVOKE ALL ON FUNCTION pgcapture.log_ddl() FROM PUBLIC;

-- :section create_trigger_ddl_command_end
CREATE EVENT TRIGGER pgcapture_ddl_command_end ON ddl_command_end EXECUTE FUNCTION pgcapture.log_ddl();
ALTER EVENT TRIGGER pgcapture_ddl_command_end ENABLE ALWAYS;

-- :section create_trigger_sql_drop
CREATE EVENT TRIGGER pgcapture_sql_drop ON sql_drop EXECUTE FUNCTION pgcapture.log_ddl();
ALTER EVENT TRIGGER pgcapture_sql_drop ENABLE ALWAYS;

-- :section create_trigger_table_rewrite
CREATE EVENT TRIGGER pgcapture_table_rewrite ON table_rewrite EXECUTE FUNCTION pgcapture.log_ddl();
ALTER EVENT TRIGGER pgcapture_table_rewrite ENABLE ALWAYS;

-- :section published_tables
-- The plain tables a publication would publish: ? is NULL for FOR ALL TABLES (the rule of
-- PostgreSQL's is_publishable_class), else the listed tables' OIDs, partitions included.
SELECT c.oid, n.nspname, c.relname, c.relreplident::text,
       EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND CASE WHEN ?::oid[] IS NULL
           THEN c.relpersistence = 'p' AND c.oid >= 16384 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           ELSE c.oid IN (SELECT l.oid FROM unnest(?::oid[]) l(oid)
                          UNION ALL -- pg_partition_tree has no rows for a table that is not partitioned
                          SELECT t.relid FROM unnest(?::oid[]) l(oid), pg_partition_tree(l.oid) t)
      END
ORDER BY n.nspname, c.relname;

-- :section unsendable_columns
-- Columns of the given tables that binary mode cannot send, with the offending type.
SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attrelid = ANY (?::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
  AND NOT @SCHEMA@.binary_sendable(a.atttypid)
ORDER BY n.nspname, c.relname, a.attnum;
