package dev.pgcapture.agent.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.replica.ReplicaLock;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/** {@code seed} against a real PostgreSQL: what the replica holds afterwards, and when seed refuses. */
@ExtendWith(PostgresExtension.class)
class SeedIT {

    private static final List<String> TABLES = List.of("public.composite_pk", "public.no_pk", "public.serials", "public.identities",
            "public.generated", "public.moods", "public.docs", "\"Public\".\"T\"\"1\"");

    private static final String[] SCHEMA = {
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'it''s fine')",
        "CREATE DOMAIN positive AS int NOT NULL CHECK (VALUE > 0)",
        "CREATE TYPE pair AS (a int, m mood)",
        "CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi)",
        "CREATE TABLE composite_pk (a int, b text, v text, PRIMARY KEY (b, a))",
        "CREATE TABLE no_pk (x int, gone int, y text)",
        "ALTER TABLE no_pk DROP COLUMN gone",
        "ALTER TABLE no_pk REPLICA IDENTITY FULL",
        "CREATE TABLE serials (id serial PRIMARY KEY, v text)",
        "CREATE TABLE identities (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text NOT NULL DEFAULT 'x')",
        "CREATE TABLE generated (id int PRIMARY KEY, a int, doubled int GENERATED ALWAYS AS (a * 2) STORED)",
        "CREATE TABLE moods (id int PRIMARY KEY, m mood, history mood[], p positive, pr pair, r floatrange)",
        "CREATE TABLE docs (id int PRIMARY KEY, doc jsonb, raw bytea, amount numeric(12,3), at timestamptz, span interval)",
        "CREATE SCHEMA \"Public\"",
        "CREATE TABLE \"Public\".\"T\"\"1\" (id bigint PRIMARY KEY, note text)",
    };

    private static final String[] DATA = {
        "INSERT INTO composite_pk SELECT g % 7, 'k' || g, md5(g::text) FROM generate_series(1, 300) g",
        "INSERT INTO no_pk SELECT g % 5, CASE WHEN g % 3 = 0 THEN NULL ELSE 'y' END FROM generate_series(1, 200) g",
        "INSERT INTO serials (v) SELECT 'v' || g FROM generate_series(1, 250) g",
        "INSERT INTO identities (v) SELECT 'i' || g FROM generate_series(1, 250) g",
        "INSERT INTO generated (id, a) SELECT g, g * 3 FROM generate_series(1, 100) g",
        """
        INSERT INTO moods SELECT g, (ARRAY['sad', 'ok', 'it''s fine']::mood[])[1 + g % 3],
          ARRAY['sad', 'it''s fine']::mood[], g, ROW(g, 'ok')::pair, floatrange(g, g + 0.5)
        FROM generate_series(1, 150) g""",
        "INSERT INTO moods VALUES (1000, NULL, NULL, 1, NULL, NULL)",
        """
        INSERT INTO docs SELECT g, jsonb_build_object('g', g, 'a', jsonb_build_array(g, 'x')), decode(md5(g::text), 'hex'),
          g * 1.125, '2026-01-02 03:04:05.678901+02'::timestamptz + g * interval '1 hour', g * interval '1 day 2 min'
        FROM generate_series(1, 120) g""",
        "INSERT INTO \"Public\".\"T\"\"1\" SELECT g, 'note ' || g FROM generate_series(1, 80) g",
    };

    @Test
    void seed_copiesEveryPublishedTableWithItsStructureAndTypes_andCheckpointsJustBeforeTheConsistentPoint(TestDatabase src,
            TestDatabase rep) throws Exception {
        src.execute(SCHEMA);
        src.execute(DATA);
        try (SeedDatabases dbs = SeedDatabases.init(src, rep)) {
            List<String> lines = new ArrayList<>();
            SeedResult result = new Seeder(dbs.settings(), lines::add).run();

            for (String table : TABLES) {
                dbs.assertSameTable(table);
            }
            Lsn cp = result.consistentPoint();
            assertTrue(result.firstSeed());
            assertEquals(TABLES.size(), result.tables().size(), result.tables().toString());
            try (Connection c = rep.connect()) {
                ReplicaPosition position = ReplicaPosition.read(c).orElseThrow();
                assertEquals(Checkpoint.of(new Lsn(cp.value() - 1), 0xFFFFFFFF), position.checkpoint());
                assertEquals(cp, position.seededLsn().orElseThrow());
                assertTrue(position.allTables());
            }
            Map<String, String> registry = dbs.registry();
            assertEquals(TABLES.size(), registry.size(), registry.toString());
            registry.values().forEach(applyFrom -> assertEquals(cp.toString(), applyFrom));
            assertEquals(sourceTypes(src), replicaTypes(rep), "pgcapture.types holds every user type with its source OID");
            assertTrue(result.tables().stream().filter(t -> t.name().table().equals("moods")).allMatch(SeedResult.SeededTable::textFormat),
                    "a mood[] column embeds the source's type OID in binary: copied as text");
            assertTrue(result.tables().stream().filter(t -> t.name().table().equals("docs")).noneMatch(SeedResult.SeededTable::textFormat));
            assertTrue(lines.stream().anyMatch(l -> l.contains("consistent point " + cp)), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("progress: tables " + TABLES.size() + "/" + TABLES.size())), lines.toString());
            // The replica's generated column is computed there, and identity ALWAYS took the source's values.
            assertTrue(SeedDatabases.rows(rep, "generated").contains("(3,9,18)"));
        }
    }

    @Test
    void seed_ofATableWithATypeWithoutBinaryIO_copiesItAsText(TestDatabase src, TestDatabase rep) throws Exception {
        // aclitem has no send or receive function: capture carries it as text, and so must the seed.
        src.execute("CREATE TABLE grants (id int PRIMARY KEY, acl aclitem)",
                "INSERT INTO grants VALUES (1, 'postgres=arwd/postgres'), (2, '=r/postgres'), (3, NULL)");
        try (SeedDatabases dbs = SeedDatabases.init(src, rep)) {
            new Seeder(dbs.settings(), line -> { }).run();
            dbs.assertSameTable("public.grants");
        }
    }

    @Test
    void seed_ofASeededReplica_isRefusedNamingTheCheckpoint_andForceSeedsItAgain(TestDatabase src, TestDatabase rep) throws Exception {
        src.execute("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t VALUES (1, 'a')");
        try (SeedDatabases dbs = SeedDatabases.init(src, rep)) {
            Lsn first = new Seeder(dbs.settings(), line -> { }).run().consistentPoint();
            src.execute("INSERT INTO t VALUES (2, 'b')", "CREATE TABLE later (id int)");

            SeedRefusedException refused = assertThrows(SeedRefusedException.class, () -> new Seeder(dbs.settings(), line -> { }).run());
            assertTrue(refused.getMessage().contains("already holds checkpoint " + new Lsn(first.value() - 1) + "|ffffffff")
                    && refused.getMessage().contains("--force drops"), refused.getMessage());
            assertEquals(List.of("(1,a)"), SeedDatabases.rows(rep, "t"), "a refused seed changes nothing");

            SeedResult again = new Seeder(dbs.settings().withForce(true), line -> { }).run();

            assertTrue(again.consistentPoint().isAfter(first));
            dbs.assertSameTable("public.t");
            dbs.assertSameTable("public.later");
            try (Connection c = rep.connect()) {
                assertEquals(again.consistentPoint(), ReplicaPosition.read(c).orElseThrow().seededLsn().orElseThrow());
            }
        }
    }

    @Test
    void seedStoppedBeforeItsCheckpoint_isStartedOverByTheNextSeed_withoutForce(TestDatabase src, TestDatabase rep) throws Exception {
        src.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        try (SeedDatabases dbs = SeedDatabases.init(src, rep)) {
            new Seeder(dbs.settings(), line -> { }).run();
            // What a seed killed after committing its tables and before its checkpoint leaves behind.
            rep.execute("DELETE FROM pgcapture.sources");
            src.execute("INSERT INTO t VALUES (2)");

            SeedResult again = new Seeder(dbs.settings(), line -> { }).run();

            assertTrue(again.firstSeed());
            dbs.assertSameTable("public.t");
            try (Connection c = rep.connect()) {
                assertEquals(again.consistentPoint(), ReplicaPosition.read(c).orElseThrow().seededLsn().orElseThrow());
            }
        }
    }

    @Test
    void seedTables_namingATableTheSourceLacks_namesIt_andChangesNothing(TestDatabase src, TestDatabase rep) throws Exception {
        src.execute("CREATE TABLE t (id int PRIMARY KEY)");
        try (SeedDatabases dbs = SeedDatabases.init(src, rep)) {
            SeedSettings settings = dbs.settings().withTables(TableName.parseList("public.t,\"Sales\".\"No such\""));

            SeedRefusedException refused = assertThrows(SeedRefusedException.class, () -> new Seeder(settings, line -> { }).run());

            assertTrue(refused.getMessage().contains("the source does not have: \"Sales\".\"No such\""), refused.getMessage());
            try (Connection c = rep.connect()) {
                assertTrue(ReplicaPosition.read(c).isEmpty());
            }
        }
    }

    @Test
    void reseedOfOneTable_needsNoForceWhenMarkedNeedsSeed_butDoesWhenNot_andKeepsTheCheckpoint(TestDatabase src, TestDatabase rep)
            throws Exception {
        src.execute("CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE b (id int PRIMARY KEY)", "INSERT INTO a VALUES (1)");
        try (SeedDatabases dbs = SeedDatabases.init(src, rep)) {
            Lsn cp = new Seeder(dbs.settings(), line -> { }).run().consistentPoint();
            src.execute("INSERT INTO a VALUES (2)", "INSERT INTO b VALUES (7)");
            rep.execute("UPDATE pgcapture.tables SET needs_seed = true WHERE structure->>'table' = 'a'");

            SeedResult reseeded = new Seeder(dbs.settings().withTables(List.of(TableName.parse("a"))), line -> { }).run();

            assertFalse(reseeded.firstSeed());
            assertTrue(reseeded.consistentPoint().isAfter(cp));
            assertEquals(List.of("1", "2"), SeedDatabases.rows(rep, "a").stream().map(r -> r.replaceAll("[()]", "")).toList());
            assertEquals(reseeded.consistentPoint().toString(), dbs.registry().get("public.a"));
            assertEquals(cp.toString(), dbs.registry().get("public.b"));
            try (Connection c = rep.connect()) {
                assertEquals(cp, ReplicaPosition.read(c).orElseThrow().seededLsn().orElseThrow(), "a re-seed keeps the checkpoint");
            }

            SeedSettings b = dbs.settings().withTables(List.of(TableName.parse("b")));
            SeedRefusedException refused = assertThrows(SeedRefusedException.class, () -> new Seeder(b, line -> { }).run());
            assertTrue(refused.getMessage().contains("public.b (takes changes from " + cp + ")"), refused.getMessage());
            new Seeder(b.withForce(true), line -> { }).run();
            dbs.assertSameTable("public.b");
        }
    }

    @Test
    void reseedInProcess_onTheApplierSessionHoldingTheLock_replacesTheTableInTheCallersTransaction(TestDatabase src, TestDatabase rep)
            throws Exception {
        src.execute("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t VALUES (1, 'a')");
        try (SeedDatabases dbs = SeedDatabases.init(src, rep); Connection applier = rep.connect()) {
            Lsn cp = new Seeder(dbs.settings(), line -> { }).run().consistentPoint();
            src.execute("ALTER TABLE t ALTER v TYPE varchar(10)", "INSERT INTO t VALUES (2, 'b')");
            ReplicaLock.acquire(applier);
            applier.setAutoCommit(false);
            ReplicaTables tables = ReplicaTables.load(applier);
            ReplicaTables.Table known = tables.all().iterator().next();

            ReplicaTables.Table reseeded = Seeder.reseed(PostgresUrl.parse(src.jdbcUrl()), applier, tables, known.structure(),
                    Duration.ofSeconds(30));
            assertEquals(cp.toString(), dbs.registry().get("public.t"), "nothing is visible before the caller commits");
            applier.commit();

            assertTrue(reseeded.applyFrom().isAfter(cp));
            assertFalse(reseeded.needsSeed());
            assertEquals("character varying(10)", reseeded.structure().column("v").typeSql());
            assertEquals(reseeded, tables.byOid(known.structure().oid()).orElseThrow(), "the caller's registry is up to date");
            dbs.assertSameTable("public.t");
            assertEquals(reseeded.applyFrom().toString(), dbs.registry().get("public.t"));
        }
    }

    @Test
    void seed_whileAnApplierHoldsTheReplica_isRefusedNamingTheHolder(TestDatabase src, TestDatabase rep) throws Exception {
        src.execute("CREATE TABLE t (id int PRIMARY KEY)");
        try (SeedDatabases dbs = SeedDatabases.init(src, rep); Connection applier = rep.connect()) {
            dev.pgcapture.agent.replica.ReplicaSchema.ensure(applier);
            ReplicaLock.acquire(applier);
            int pid = applier.unwrap(PGConnection.class).getBackendPID();

            ReplicaLock.ReplicaBusyException busy = assertThrows(ReplicaLock.ReplicaBusyException.class,
                    () -> new Seeder(dbs.settings(), line -> { }).run());

            assertTrue(busy.getMessage().contains("backend pid " + pid), busy.getMessage());
        }
    }

    @Test
    void seed_whenALongTransactionBlocksSlotCreation_failsAfterSlotWaitNamingThatSession(TestDatabase src, TestDatabase rep)
            throws Exception {
        src.execute("CREATE TABLE t (id int PRIMARY KEY)");
        try (SeedDatabases dbs = SeedDatabases.init(src, rep); Connection open = src.connect()) {
            open.setAutoCommit(false);
            open.createStatement().execute("INSERT INTO t VALUES (1)"); // holds a transaction ID until it ends
            int pid = open.unwrap(PGConnection.class).getBackendPID();
            long start = System.nanoTime();

            SeedRefusedException refused = assertThrows(SeedRefusedException.class,
                    () -> new Seeder(dbs.settings().withSlotWait(Duration.ofSeconds(2)), line -> { }).run());

            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(refused.getMessage().contains("waited 2s") && refused.getMessage().contains("pid " + pid + " (user"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("query \"INSERT INTO t VALUES (1)\""), refused.getMessage());
            assertTrue(waitedMillis >= 2000 && waitedMillis < 30_000, "waited " + waitedMillis + " ms");
            open.rollback();
            assertEquals(0, temporarySlots(src), "the cancelled slot is gone");
        }
    }

    @Test
    void tableTruncatedAfterTheSnapshot_isCopiedAgainInANewSnapshot_andTakesChangesFromItsOwnPoint(TestDatabase src, TestDatabase rep)
            throws Exception {
        src.execute("CREATE TABLE steady (id int PRIMARY KEY)", "INSERT INTO steady SELECT generate_series(1, 10)",
                "CREATE TABLE churn (id int PRIMARY KEY, v text)", "INSERT INTO churn SELECT g, 'old' FROM generate_series(1, 50) g");
        try (SeedDatabases dbs = SeedDatabases.init(src, rep)) {
            // After seed took its snapshot and before it locks the tables, another session truncates
            // one and refills it: its rows as of the snapshot are gone from disk.
            Seeder seeder = new Seeder(dbs.settings(), line -> { }, () -> src.execute(
                    "BEGIN; TRUNCATE churn; INSERT INTO churn SELECT g, 'new' FROM generate_series(100, 120) g; COMMIT"));

            SeedResult result = seeder.run();

            SeedResult.SeededTable churn = result.retried().stream().filter(t -> t.name().table().equals("churn")).findFirst().orElseThrow();
            assertTrue(churn.applyFrom().isAfter(result.consistentPoint()), churn + " vs cp " + result.consistentPoint());
            assertEquals(2, churn.attempts());
            dbs.assertSameTable("public.churn");
            dbs.assertSameTable("public.steady");
            assertEquals(21, SeedDatabases.rows(rep, "churn").size());
            assertEquals(churn.applyFrom().toString(), dbs.registry().get("public.churn"));
            assertEquals(result.consistentPoint().toString(), dbs.registry().get("public.steady"));
            try (Connection c = rep.connect()) {
                assertEquals(result.consistentPoint(), ReplicaPosition.read(c).orElseThrow().seededLsn().orElseThrow());
            }
        }
    }

    private static int temporarySlots(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); ResultSet r = c.createStatement().executeQuery(
                "SELECT count(*) FROM pg_replication_slots WHERE temporary AND slot_name LIKE 'pgcapture_seed_%'")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static Map<Long, String> sourceTypes(TestDatabase db) throws Exception {
        return types(db, "SELECT t.oid::bigint, n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                + "WHERE n.nspname = 'public' AND t.typname IN ('mood', '_mood', 'positive', '_positive', 'pair', '_pair', "
                + "'floatrange', '_floatrange', 'floatmultirange', '_floatmultirange')");
    }

    private static Map<Long, String> replicaTypes(TestDatabase db) throws Exception {
        return types(db, "SELECT source_oid::bigint, type_schema || '.' || type_name FROM pgcapture.types");
    }

    private static Map<Long, String> types(TestDatabase db, String sql) throws Exception {
        Map<Long, String> types = new TreeMap<>();
        try (Connection c = db.connect(); ResultSet r = c.createStatement().executeQuery(sql)) {
            while (r.next()) {
                types.put(r.getLong(1), r.getString(2));
            }
        }
        return types;
    }
}
