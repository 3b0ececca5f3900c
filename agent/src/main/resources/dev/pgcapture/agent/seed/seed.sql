-- The SQL of `pgcapture seed`, one named section per statement (see dev.pgcapture.agent.SqlScript).
-- Sections marked "snapshot" run on a source connection inside the seed's exported snapshot
-- (REPEATABLE READ, SET TRANSACTION SNAPSHOT): what they read from the catalog through SQL is the
-- catalog as of the consistent point. pg_relation_filenode() and to_regclass() read the current
-- catalog (the relation cache), which is what the per-table check compares against.

-- :section init_done
SELECT to_regprocedure('pgcapture.table_structure(oid[])') IS NOT NULL AND to_regprocedure('pgcapture.type_parts(oid[])') IS NOT NULL;

-- :section publication_exists
SELECT EXISTS (SELECT FROM pg_publication WHERE pubname = ?);

-- :section published_tables
-- snapshot. The tables the publication publishes (pg_publication_tables follows
-- publish_via_partition_root), pgcapture's own aside, largest first so parallel copies balance.
SELECT c.oid::bigint
FROM pg_publication_tables p
JOIN pg_namespace n ON n.nspname = p.schemaname
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = p.tablename
WHERE p.pubname = ? AND n.nspname <> 'pgcapture'
ORDER BY pg_relation_size(c.oid) DESC, c.oid;

-- :section table_oid
-- snapshot. A table named on the command line.
SELECT c.oid::bigint, c.relkind IN ('r', 'p')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ? AND c.relname = ?;

-- :section is_published
-- snapshot.
SELECT EXISTS (SELECT FROM pg_publication_tables p WHERE p.pubname = ? AND p.schemaname = ? AND p.tablename = ?);

-- :section table_structures
-- snapshot.
SELECT pgcapture.table_structure(?::oid[])::text;

-- :section relfilenodes
-- snapshot, after LOCK TABLE. The table's file node as the snapshot saw it, as it is now, and
-- which relation its name (as the snapshot knew it) means now. They differ after a TRUNCATE,
-- a rewrite (VACUUM FULL, ALTER TYPE, CLUSTER), a rename or a drop since the snapshot.
SELECT c.relfilenode::bigint, pg_relation_filenode(c.oid)::bigint, to_regclass(?)::oid::bigint
FROM pg_class c WHERE c.oid = ?;

-- :section current_oid
SELECT to_regclass(?)::oid::bigint;

-- :section needs_text_copy
-- snapshot. Whether a column of the table has a type whose binary COPY form embeds the OID of a
-- type created after initdb (an array of, or a composite with a field of, an enum, domain,
-- composite, range or extension type): those OIDs differ on the replica, whose binary input
-- would refuse them; or a type without a binary send or receive function (aclitem, some
-- extension types: pgoutput sends such a column as text, binary COPY cannot). Such tables are
-- copied in text form.
WITH part(oid) AS (
    SELECT p.oid FROM pgcapture.type_parts(ARRAY(SELECT a.atttypid FROM pg_attribute a WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '')) p(oid)
)
SELECT EXISTS (
    SELECT FROM part p JOIN pg_type t ON t.oid = p.oid
    WHERE t.typsend::oid = 0 OR t.typreceive::oid = 0
       OR (t.typelem >= 16384 AND t.typlen = -1)
       OR (t.typtype = 'c' AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = t.typrelid
                                       AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid >= 16384)));

-- :section user_types
-- snapshot. Every type created after initdb that the given column types use, directly or through
-- arrays, domains, composites and ranges (arrays themselves left out: each comes with its
-- element type), with what it takes to create it. Names and values come quoted by the server
-- (format %I/%L, format_type, pg_get_constraintdef with search_path = pg_catalog).
WITH part(oid) AS (
    SELECT p.oid FROM pgcapture.type_parts(?::oid[]) p(oid)
)
SELECT t.oid::bigint, n.nspname, t.typname, t.typtype::text,
       t.typarray::bigint, coalesce(arr.typname, ''),
       (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
        WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
          AND d.refclassid = 'pg_extension'::regclass) AS extension,
       (SELECT r.relkind::text FROM pg_class r WHERE r.oid = t.typrelid) AS relkind,
       -- the user types it is built from, an array standing for its element
       ARRAY(SELECT DISTINCT CASE WHEN rt.typelem <> 0 AND rt.typlen = -1 THEN rt.typelem ELSE rt.oid END::bigint
             FROM (SELECT t.typbasetype WHERE t.typtype = 'd'
                   UNION ALL SELECT a.atttypid FROM pg_attribute a
                       WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
                   UNION ALL SELECT r.rngsubtype FROM pg_range r WHERE t.typtype = 'r' AND r.rngtypid = t.oid) d(oid)
             JOIN pg_type rt ON rt.oid = d.oid) AS uses,
       CASE t.typtype
         WHEN 'e' THEN (SELECT string_agg(format('%L', e.enumlabel), ', ' ORDER BY e.enumsortorder)
                        FROM pg_enum e WHERE e.enumtypid = t.oid)
         WHEN 'd' THEN concat_ws(' ', format_type(t.typbasetype, t.typtypmod),
                         (SELECT 'COLLATE ' || format('%I.%I', cn.nspname, co.collname) FROM pg_collation co
                          JOIN pg_namespace cn ON cn.oid = co.collnamespace
                          WHERE co.oid = t.typcollation AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)),
                         'DEFAULT ' || pg_get_expr(t.typdefaultbin, 0),
                         CASE WHEN t.typnotnull THEN 'NOT NULL' END,
                         (SELECT string_agg(format('CONSTRAINT %I %s', co.conname, pg_get_constraintdef(co.oid)), ' ' ORDER BY co.conname)
                          FROM pg_constraint co WHERE co.contypid = t.oid AND co.contype = 'c'))
         WHEN 'c' THEN (SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
                        FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
         WHEN 'r' THEN (SELECT concat_ws(', ', 'SUBTYPE = ' || format_type(r.rngsubtype, NULL),
                          CASE WHEN NOT oc.opcdefault THEN format('SUBTYPE_OPCLASS = %I.%I', ocn.nspname, oc.opcname) END,
                          CASE WHEN r.rngcollation <> 0 THEN (SELECT format('COLLATION = %I.%I', cn.nspname, co.collname)
                               FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = r.rngcollation) END,
                          CASE WHEN r.rngcanonical <> 0 THEN 'CANONICAL = ' || r.rngcanonical::regproc::text END,
                          CASE WHEN r.rngsubdiff <> 0 THEN 'SUBTYPE_DIFF = ' || r.rngsubdiff::regproc::text END,
                          (SELECT format('MULTIRANGE_TYPE_NAME = %I.%I', mn.nspname, m.typname)
                           FROM pg_type m JOIN pg_namespace mn ON mn.oid = m.typnamespace WHERE m.oid = r.rngmultitypid))
                        FROM pg_range r
                        JOIN pg_opclass oc ON oc.oid = r.rngsubopc
                        JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
                        WHERE r.rngtypid = t.oid)
       END AS definition
FROM part
JOIN pg_type t ON t.oid = part.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type arr ON arr.oid = t.typarray
WHERE t.oid >= 16384 AND NOT (t.typelem <> 0 AND t.typlen = -1) AND t.typtype <> 'm'
ORDER BY t.oid;

-- :section multirange_of
-- snapshot. A range type's multirange, recorded in pgcapture.types with the range.
SELECT m.oid::bigint, n.nspname, m.typname, m.typarray::bigint, coalesce(ma.typname, '')
FROM pg_range r JOIN pg_type m ON m.oid = r.rngmultitypid
JOIN pg_namespace n ON n.oid = m.typnamespace LEFT JOIN pg_type ma ON ma.oid = m.typarray
WHERE r.rngtypid = ?;

-- :section blocking_sessions
-- Who the walsender creating the slot waits for: pg_blocking_pids() of its pid (0 stands for
-- a prepared transaction), else every session with a transaction ID (the snapshot builder waits
-- for all transactions running on the server, in any database).
SELECT a.pid, a.usename, a.application_name, a.datname, a.xact_start, a.state, left(a.query, 120)
FROM pg_stat_activity a
WHERE a.pid = ANY (pg_blocking_pids(?))
   OR (NOT EXISTS (SELECT FROM unnest(pg_blocking_pids(?)) b(pid) WHERE b.pid <> 0)
       AND a.backend_xid IS NOT NULL AND a.pid <> ? AND a.pid <> pg_backend_pid())
ORDER BY a.xact_start NULLS LAST, a.pid;

-- :section prepared_transactions
SELECT gid, owner, database, prepared FROM pg_prepared_xacts ORDER BY prepared;

-- :section replica_type_oid
SELECT to_regtype(?)::oid::bigint;

-- :section replica_enum_labels
SELECT format('%L', enumlabel) FROM pg_enum WHERE enumtypid = ? ORDER BY enumsortorder;

-- :section forget_position
-- A forced seed forgets the old checkpoint in the transaction that drops the old tables: a
-- seed stopped half-way then leaves no checkpoint, and the next seed starts over.
DELETE FROM pgcapture.sources;
