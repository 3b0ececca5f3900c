-- The bookkeeping pgcapture keeps on a logical replica, in schema pgcapture, one named section
-- per statement (see dev.pgcapture.agent.SqlScript). Every statement is idempotent: `seed` and
-- `pulsar2pg` both run them at start.

-- :section create_schema
CREATE SCHEMA IF NOT EXISTS pgcapture;

-- :section create_sources
-- The source position the replica's data corresponds to: one row, written in the same
-- transaction as the data it covers. Every source transaction whose commit checkpoint is at or
-- before (commit_lsn, seq) is in the replica; nothing after it is.
CREATE TABLE IF NOT EXISTS pgcapture.sources (
    id          int         PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    commit_lsn  pg_lsn      NOT NULL,
    seq         bigint      NOT NULL CHECK (seq BETWEEN 0 AND 4294967295),
    message_id  bytea,
    commit_time timestamptz,
    applied_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    seeded_lsn  pg_lsn,
    all_tables  boolean     NOT NULL DEFAULT true
);
COMMENT ON TABLE pgcapture.sources IS 'pgcapture: the source checkpoint this replica has applied through; see dev.pgcapture.agent.replica.ReplicaPosition.';

-- :section create_tables
-- The structure of each replicated table as the source last described it (the form of
-- pgcapture.ddl_logs.tables), keyed by the source's table OID, and the commit LSN from which the
-- table takes changes from the topic: a table seeded at consistent point cp already holds every
-- transaction that committed before cp. needs_seed marks a table rewritten on the source (a
-- rewrite changes rows without WAL events): its changes are skipped until it is seeded again.
CREATE TABLE IF NOT EXISTS pgcapture.tables (
    source_oid  oid    PRIMARY KEY,
    structure   jsonb  NOT NULL,
    apply_from  pg_lsn NOT NULL DEFAULT '0/0',
    needs_seed  boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE pgcapture.tables IS 'pgcapture: the source structure of each replicated table, by source table OID; see dev.pgcapture.agent.replica.TableStructure.';

-- :section create_types
-- The source's OIDs of user types (enums, domains, composites, ranges and their arrays), so that
-- binary values, whose arrays and composites embed type OIDs, can be mapped between source and
-- replica.
CREATE TABLE IF NOT EXISTS pgcapture.types (
    source_oid  oid  PRIMARY KEY,
    type_schema name NOT NULL,
    type_name   name NOT NULL
);
COMMENT ON TABLE pgcapture.types IS 'pgcapture: source OIDs of user types, by name.';

-- :section read_position
SELECT commit_lsn::text, seq, message_id, commit_time, applied_at, seeded_lsn::text, all_tables
FROM pgcapture.sources WHERE id = 1;

-- :section write_position
INSERT INTO pgcapture.sources AS s (id, commit_lsn, seq, message_id, commit_time, applied_at)
VALUES (1, ?::pg_lsn, ?, ?, ?, clock_timestamp())
ON CONFLICT (id) DO UPDATE
SET commit_lsn = excluded.commit_lsn, seq = excluded.seq, message_id = excluded.message_id,
    commit_time = excluded.commit_time, applied_at = excluded.applied_at;

-- :section write_seeded
INSERT INTO pgcapture.sources AS s (id, commit_lsn, seq, message_id, commit_time, applied_at, seeded_lsn, all_tables)
VALUES (1, ?::pg_lsn, ?, NULL, NULL, clock_timestamp(), ?::pg_lsn, ?)
ON CONFLICT (id) DO UPDATE
SET commit_lsn = excluded.commit_lsn, seq = excluded.seq, message_id = NULL, commit_time = NULL,
    applied_at = excluded.applied_at, seeded_lsn = excluded.seeded_lsn, all_tables = excluded.all_tables;

-- :section read_tables
SELECT source_oid::bigint, structure::text, apply_from::text, needs_seed FROM pgcapture.tables;

-- :section write_table
INSERT INTO pgcapture.tables (source_oid, structure, apply_from, needs_seed)
VALUES (?, ?::jsonb, ?::pg_lsn, ?)
ON CONFLICT (source_oid) DO UPDATE
SET structure = excluded.structure, apply_from = excluded.apply_from, needs_seed = excluded.needs_seed;

-- :section delete_table
DELETE FROM pgcapture.tables WHERE source_oid = ?;

-- :section write_type
INSERT INTO pgcapture.types (source_oid, type_schema, type_name) VALUES (?, ?, ?)
ON CONFLICT (source_oid) DO UPDATE SET type_schema = excluded.type_schema, type_name = excluded.type_name;

-- :section try_lock
-- The one-writer lock: at most one applier (or seed) per replica database. Session-level.
SELECT pg_try_advisory_lock(?);

-- :section lock_holder
SELECT a.pid, a.application_name, a.client_addr::text, a.backend_start
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = ? AND l.objid = ? AND l.objsubid = 1 AND l.granted;
