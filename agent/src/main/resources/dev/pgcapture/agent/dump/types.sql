-- The replica's description of types asked for by the source's OIDs (Agent.DescribeTypes), one
-- named section per statement. See dev.pgcapture.agent.dump.TypeCatalog.

-- :section resolve
-- Each requested source OID and the replica type it names, in request order: a built-in type
-- (below FirstNormalObjectId, 16384) by the same OID, a user type through pgcapture.types by
-- schema and name. NULL: the replica knows no such type.
SELECT q.source_oid::bigint,
       CASE WHEN q.source_oid < 16384::oid
            THEN (SELECT t.oid::bigint FROM pg_catalog.pg_type t WHERE t.oid = q.source_oid)
            ELSE (SELECT t.oid::bigint
                  FROM pgcapture.types s
                  JOIN pg_catalog.pg_namespace n ON n.nspname = s.type_schema
                  JOIN pg_catalog.pg_type t ON t.typnamespace = n.oid AND t.typname = s.type_name
                  WHERE s.source_oid = q.source_oid)
       END
FROM unnest(?::oid[]) WITH ORDINALITY q(source_oid, position)
ORDER BY q.position;

-- :section describe
-- These replica types and every type they are made of, recursively: array elements (true arrays
-- only, not the fixed-size types such as point whose typelem names their parts), domain bases,
-- composite attributes (dropped ones left out), range subtypes, a multirange's range. Per type:
-- its kind, the replica OIDs it refers to, enum labels in sort order, its format_type() name
-- (the caller sets search_path to pg_catalog, so user types come schema-qualified), and its
-- source OID from pgcapture.types (the largest, should a name have been recorded twice).
WITH RECURSIVE part(oid) AS (
    SELECT DISTINCT u.oid FROM unnest(?::oid[]) u(oid)
  UNION
    SELECT c.oid
    FROM part p
    JOIN pg_catalog.pg_type t ON t.oid = p.oid
    CROSS JOIN LATERAL (
        SELECT t.typelem WHERE t.typtype = 'b' AND t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc
        UNION ALL SELECT t.typbasetype WHERE t.typtype = 'd'
        UNION ALL SELECT a.atttypid FROM pg_catalog.pg_attribute a
            WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE t.typtype = 'r' AND r.rngtypid = t.oid
        UNION ALL SELECT r.rngtypid FROM pg_catalog.pg_range r WHERE t.typtype = 'm' AND r.rngmultitypid = t.oid
    ) c(oid)
)
SELECT t.oid::bigint,
       n.nspname::text,
       t.typname::text,
       t.typtype::text,
       t.typtype = 'b' AND t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc AS is_array,
       t.typelem::bigint,
       t.typbasetype::bigint,
       (SELECT g.rngsubtype::bigint FROM pg_catalog.pg_range g WHERE g.rngtypid = t.oid) AS range_subtype,
       (SELECT g.rngtypid::bigint FROM pg_catalog.pg_range g WHERE g.rngmultitypid = t.oid) AS multirange_range,
       ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
             WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS attribute_names,
       ARRAY(SELECT a.atttypid::bigint FROM pg_catalog.pg_attribute a
             WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS attribute_types,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid
             ORDER BY e.enumsortorder) AS labels,
       pg_catalog.format_type(t.oid, NULL) AS sql_name,
       (SELECT max(s.source_oid)::bigint FROM pgcapture.types s
        WHERE s.type_schema = n.nspname AND s.type_name = t.typname) AS source_oid
FROM part p
JOIN pg_catalog.pg_type t ON t.oid = p.oid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace;
