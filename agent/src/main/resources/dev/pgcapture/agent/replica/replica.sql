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
    seeded_lsn  pg_lsn
);
COMMENT ON TABLE pgcapture.sources IS 'pgcapture: the source checkpoint this replica has applied through; see dev.pgcapture.agent.replica.ReplicaPosition.';

-- :section create_tables
-- The structure of each replicated table as the source last described it (the form of
-- pgcapture.ddl_logs.tables), keyed by the source's table OID, and the commit LSN from which the
-- table takes changes from the topic: a table seeded at consistent point cp already holds every
-- transaction that committed before cp.
CREATE TABLE IF NOT EXISTS pgcapture.tables (
    source_oid  oid    PRIMARY KEY,
    structure   jsonb  NOT NULL,
    apply_from  pg_lsn NOT NULL DEFAULT '0/0'
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
SELECT commit_lsn::text, seq, message_id, commit_time, applied_at, seeded_lsn::text
FROM pgcapture.sources WHERE id = 1;

-- :section write_position
INSERT INTO pgcapture.sources AS s (id, commit_lsn, seq, message_id, commit_time, applied_at)
VALUES (1, ?::pg_lsn, ?, ?, ?, clock_timestamp())
ON CONFLICT (id) DO UPDATE
SET commit_lsn = excluded.commit_lsn, seq = excluded.seq, message_id = excluded.message_id,
    commit_time = excluded.commit_time, applied_at = excluded.applied_at;

-- :section write_seeded
INSERT INTO pgcapture.sources AS s (id, commit_lsn, seq, message_id, commit_time, applied_at, seeded_lsn)
VALUES (1, ?::pg_lsn, ?, NULL, NULL, clock_timestamp(), ?::pg_lsn)
ON CONFLICT (id) DO UPDATE
SET commit_lsn = excluded.commit_lsn, seq = excluded.seq, message_id = NULL, commit_time = NULL,
    applied_at = excluded.applied_at, seeded_lsn = excluded.seeded_lsn;
