-- What the replica's own catalog says about its tables and types, one named section per
-- statement (see dev.pgcapture.agent.replica.ReplicaCatalog). Run with search_path = pg_catalog,
-- so that format_type and pg_get_expr qualify names exactly as pgcapture.table_structure does on
-- the source.

-- :section table_structure
-- One table, by schema and name: its OID and its structure in the form of one element of
-- pgcapture.ddl_logs.tables (the replica's attnums and type OIDs). binary_sendable is
-- pgcapture.binary_sendable of the source's setup.sql, inlined: the replica has no such function.
SELECT c.oid::bigint, jsonb_build_object(
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
                    'binary_sendable', (
                        WITH RECURSIVE part(oid) AS (
                            SELECT a.atttypid
                          UNION
                            SELECT p2.oid
                            FROM part p
                            JOIN pg_type pt ON pt.oid = p.oid
                            CROSS JOIN LATERAL (
                                SELECT pt.typelem WHERE pt.typelem <> 0
                                UNION ALL SELECT pt.typbasetype WHERE pt.typtype = 'd'
                                UNION ALL SELECT pa.atttypid FROM pg_attribute pa
                                    WHERE pt.typtype = 'c' AND pa.attrelid = pt.typrelid AND pa.attnum > 0 AND NOT pa.attisdropped
                                UNION ALL SELECT r.rngsubtype FROM pg_range r WHERE pt.typtype = 'r' AND r.rngtypid = pt.oid
                                UNION ALL SELECT r.rngtypid FROM pg_range r WHERE pt.typtype = 'm' AND r.rngmultitypid = pt.oid
                            ) p2(oid)
                        )
                        SELECT t.typsend::oid = 0
                            OR NOT EXISTS (SELECT FROM part JOIN pg_type x ON x.oid = part.oid
                                           WHERE part.oid <> a.atttypid AND x.typsend::oid = 0))
                ) ORDER BY a.attnum), '{}'::jsonb)
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
            JOIN pg_namespace tn ON tn.oid = t.typnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN pg_index pk ON pk.indrelid = a.attrelid AND pk.indisprimary
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
    )::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p');

-- :section primary_key_name
SELECT con.conname::text
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ? AND c.relname = ? AND con.contype = 'p';

-- :section type_exists
SELECT EXISTS (SELECT FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
               WHERE n.nspname = ? AND t.typname = ?);

-- :section search_path
SELECT current_setting('search_path');

-- :section set_search_path
SELECT set_config('search_path', ?, false);
