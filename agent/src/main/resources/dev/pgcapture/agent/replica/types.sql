-- The replica's description of a set of types and of every type their binary values contain,
-- with the source's OID of each user type (pgcapture.types, matched by schema and name).
-- See dev.pgcapture.agent.replica.TypeOids.

-- :section describe_types
WITH reach(oid) AS (
    SELECT p.oid FROM pgcapture.type_parts(?::oid[]) p(oid)
)
SELECT t.oid::bigint,
       n.nspname::text,
       t.typname::text,
       t.typtype::text,
       t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc AS is_array,
       t.typelem::bigint,
       t.typbasetype::bigint,
       ARRAY(SELECT a.atttypid::bigint FROM pg_catalog.pg_attribute a
             WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS attributes,
       (SELECT g.rngsubtype::bigint FROM pg_catalog.pg_range g WHERE g.rngtypid = t.oid) AS range_subtype,
       (SELECT g.rngtypid::bigint FROM pg_catalog.pg_range g WHERE g.rngmultitypid = t.oid) AS multirange_range,
       t.typsend::oid <> 0 AS has_send,
       (SELECT max(s.source_oid)::bigint FROM pgcapture.types s
        WHERE s.type_schema = n.nspname AND s.type_name = t.typname) AS source_oid
FROM reach r
JOIN pg_catalog.pg_type t ON t.oid = r.oid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace;
