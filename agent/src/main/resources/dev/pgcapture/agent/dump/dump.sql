-- The catalog reads of the Agent dump service (dev.pgcapture.agent.dump), one named section per
-- statement. Tables are found by exact name through the catalog, never by parsing SQL text.

-- :section resolve_table
SELECT c.oid::bigint
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'r';

-- :section describe_table
-- Pages from pg_relation_size (relpages is 0 before ANALYZE); reltuples is -1 when the table was
-- never analyzed or vacuumed (PostgreSQL 14+).
SELECT pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::bigint,
       c.reltuples::bigint
FROM pg_catalog.pg_class c
WHERE c.oid = ?;

-- :section columns
SELECT a.attname::text, a.atttypid::bigint
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;
