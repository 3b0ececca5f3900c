-- What the replica's own catalog says about its tables and types, one named section per
-- statement (see dev.pgcapture.agent.replica.ReplicaCatalog).

-- :section table_structure
-- One table, by schema and name: its OID and its structure in the form of one element of
-- pgcapture.ddl_logs.tables (the replica's attnums and type OIDs), by the same function the
-- source uses (ReplicaSchema installs it on the replica).
SELECT c.oid::bigint, (pgcapture.table_structure(ARRAY[c.oid]) -> (c.oid::text))::text
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
