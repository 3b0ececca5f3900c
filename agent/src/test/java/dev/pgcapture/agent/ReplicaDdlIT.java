package dev.pgcapture.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.core.TableName;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The DDL corpus end to end, with DML interleaved: each step runs on a seeded source, travels
 * through pg2pulsar's topic and is applied by pulsar2pg; after each step and catch-up the
 * replica's tables equal the source's in structure and rows. A table the source rewrites is
 * seeded again by the applier's reseeder.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class ReplicaDdlIT {

    private static final TableName ITEMS = new TableName("public", "items");

    @Test
    void columnDdlWithDml_addDropRenameAndARewritingTypeChange_replicaEqualsSourceAfterEach(TestDatabase source, TestDatabase replica,
            TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY, name text, price text NOT NULL, gone int)",
                "INSERT INTO items SELECT g, 'item ' || g, (g * 1.5)::text, g FROM generate_series(1, 200) g");
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar)) {
            step(source, p, "ALTER TABLE items ADD COLUMN added int", "UPDATE items SET added = id WHERE id % 2 = 0",
                    "INSERT INTO items VALUES (201, 'new', '3', 0, 7)");
            step(source, p, "ALTER TABLE items DROP COLUMN gone", "DELETE FROM items WHERE id % 7 = 0",
                    "INSERT INTO items (id, name, price) VALUES (202, 'after the drop', '2')");
            step(source, p, "ALTER TABLE items RENAME COLUMN name TO \"Title\"", "UPDATE items SET \"Title\" = \"Title\" || '!' WHERE id < 20");
            step(source, p, "ALTER TABLE items ADD COLUMN label text NOT NULL DEFAULT 'none'", "UPDATE items SET label = 'set' WHERE id < 5");
            assertEquals(List.of(), p.reseeded, "no step so far rewrote the table");

            step(source, p, "UPDATE items SET price = '7.25' WHERE id = 1",
                    "ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2) USING price::numeric(10,2)",
                    "UPDATE items SET price = price + 1 WHERE id < 10", "INSERT INTO items (id, \"Title\", price) VALUES (203, 'numeric', 1.25)");
            assertEquals(List.of(ITEMS), p.reseeded, "the rewritten table was seeded again");

            step(source, p, "UPDATE items SET price = price * 2, added = 1 WHERE id % 3 = 0", "DELETE FROM items WHERE id > 190",
                    "ALTER TABLE items ALTER COLUMN \"Title\" TYPE varchar(40)", "ALTER TABLE items ALTER COLUMN price SET DEFAULT 0",
                    "INSERT INTO items (id) VALUES (204)");
            assertEquals(List.of(ITEMS, ITEMS), p.reseeded, "text to varchar(40) checks every row: a rewrite, seeded again");

            step(source, p, "ALTER TABLE items ALTER COLUMN \"Title\" TYPE varchar(60)", "UPDATE items SET \"Title\" = 'wider' WHERE id = 2");
            assertEquals(List.of(ITEMS, ITEMS), p.reseeded, "widening a varchar rewrites nothing");
        }
    }

    @Test
    void columnAddedOnTheSourceAfterARewriteBeforeItsReseed_isInTheReseededTable_andItsRowsApply(TestDatabase source,
            TestDatabase replica, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY, price text NOT NULL)",
                "INSERT INTO items SELECT g, g::text FROM generate_series(1, 100) g");
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar)) {
            // The applier lags: by the time it seeds the rewritten table again, the source has added a column, so the
            // copy holds the column and the ADD COLUMN event (committed before the copy's snapshot) is already in it.
            p.beforeNextReseed(() -> source.execute("ALTER TABLE items ADD COLUMN late int DEFAULT 5"));
            step(source, p, "ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2) USING price::numeric(10,2)");
            assertEquals(List.of(ITEMS), p.reseeded);

            step(source, p, "UPDATE items SET late = 6 WHERE id < 10", "INSERT INTO items VALUES (101, 1.5, 7)");
            step(source, p, "ALTER TABLE items DROP COLUMN late", "UPDATE items SET price = 0 WHERE id = 1");
        }
    }

    @Test
    void tableDdlWithDml_createWithRowsCreateAsTruncateAndDrop_replicaEqualsSourceAfterEach(TestDatabase source, TestDatabase replica,
            TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE base (id int PRIMARY KEY, v text)", "INSERT INTO base SELECT g, 'b' || g FROM generate_series(1, 100) g");
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar)) {
            step(source, p, "CREATE TABLE made (id serial PRIMARY KEY, n int NOT NULL, note varchar(20) DEFAULT 'none')",
                    "INSERT INTO made (n) SELECT g FROM generate_series(1, 300) g", "UPDATE made SET note = 'even' WHERE n % 2 = 0");
            step(source, p, "BEGIN", "CREATE TABLE \"Made Too\" (id int PRIMARY KEY, v text)", "INSERT INTO \"Made Too\" VALUES (1, 'in tx')",
                    "UPDATE base SET v = 'with create' WHERE id = 1", "COMMIT");
            step(source, p, "CREATE TABLE copied AS SELECT g AS id, g::text AS label FROM generate_series(1, 500) g",
                    "INSERT INTO copied VALUES (501, 'later')");
            step(source, p, "TRUNCATE made", "INSERT INTO made (n) VALUES (1), (2)", "UPDATE base SET v = 'after truncate' WHERE id < 3");
            step(source, p, "BEGIN", "INSERT INTO base VALUES (101, 'gone with the truncate')", "TRUNCATE base, \"Made Too\"",
                    "INSERT INTO base VALUES (1, 'first after')", "COMMIT");
            step(source, p, "DROP TABLE copied", "INSERT INTO made (n) VALUES (3)");
            step(source, p, "DROP TABLE \"Made Too\", made", "INSERT INTO base VALUES (2, 'last')");
            assertEquals(List.of(), p.reseeded, "no step rewrote a table");
        }
    }

    @Test
    void multiStatementStringDoBlockAndTemporaryTable_replicaEqualsSourceAfterEach(TestDatabase source, TestDatabase replica,
            TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 50) g");
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar)) {
            simpleQueryStep(source, p, "ALTER TABLE t ADD c int; INSERT INTO t (id, v, c) VALUES (100, 'multi', 42); "
                    + "UPDATE t SET c = 1 WHERE id = 1; ALTER TABLE t DROP c");
            simpleQueryStep(source, p, "INSERT INTO t VALUES (101, 'x'); ALTER TABLE t ADD c text DEFAULT 'd'; "
                    + "INSERT INTO t VALUES (102, 'y', 'z'); UPDATE t SET v = c WHERE id = 2");

            step(source, p, "DO $$ BEGIN ALTER TABLE t ADD COLUMN x text; UPDATE t SET x = v WHERE id < 10; "
                    + "ALTER TABLE t RENAME COLUMN x TO y; CREATE TABLE in_do (id int PRIMARY KEY); INSERT INTO in_do VALUES (1); "
                    + "DROP TABLE in_do; CREATE TABLE kept_from_do (id int PRIMARY KEY, v text); "
                    + "INSERT INTO kept_from_do SELECT id, v FROM t WHERE id < 5; DELETE FROM t WHERE id = 3; END $$");

            step(source, p, "CREATE TEMP TABLE scratch (id int PRIMARY KEY, v text)", "ALTER TABLE scratch ADD COLUMN w int",
                    "INSERT INTO scratch SELECT id + 1000, 'from temp', 1 FROM t WHERE id < 5",
                    "INSERT INTO t (id, v) SELECT id, v FROM scratch", "TRUNCATE scratch", "DROP TABLE scratch",
                    "CREATE TEMP TABLE kept_scratch AS SELECT * FROM t");
            assertEquals(List.of(), p.reseeded, "no step rewrote a table");
        }
    }

    /** Runs {@code statements} on one source session (autocommit unless they say BEGIN), then checks the replica after catch-up. */
    private static void step(TestDatabase source, ReplicaPipeline p, String... statements) throws Exception {
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        p.awaitCaughtUp();
        p.assertReplicaEqualsSource();
    }

    /** Sends {@code query} as one simple-protocol query string (one implicit transaction), as psql does, then checks the replica. */
    private static void simpleQueryStep(TestDatabase source, ReplicaPipeline p, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(source.jdbcUrl() + "&preferQueryMode=simple"); Statement s = c.createStatement()) {
            s.execute(query);
        }
        p.awaitCaughtUp();
        p.assertReplicaEqualsSource();
    }
}
