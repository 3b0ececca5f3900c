package dev.pgcapture.agent.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The event triggers init installs write the rows pgcapture.ddl_logs promises, and nobody else can. */
@ExtendWith(PostgresExtension.class)
class DdlCaptureIT {

    private static final String LOG = "SELECT event, array_to_string(tags, ',') FROM pgcapture.ddl_logs ORDER BY id";

    /** One column of a table as the last row logging that table recorded it. */
    private static String column(Installed pg, String table, int attnum) throws SQLException {
        return String.join("", pg.rows("""
                SELECT concat_ws('|', c ->> 'name', c ->> 'type_name', c ->> 'type_oid', c ->> 'type_sql',
                                 c ->> 'not_null', coalesce(c ->> 'default', '-'), c ->> 'primary_key',
                                 coalesce(c ->> 'identity', '-'), c ->> 'binary_sendable')
                FROM (SELECT tables -> ('%1$s'::regclass::oid::text) -> 'columns' -> '%2$d' AS c
                      FROM pgcapture.ddl_logs WHERE tables ? ('%1$s'::regclass::oid::text)
                      ORDER BY id DESC LIMIT 1) last
                """.formatted(table, attnum)));
    }

    @Test
    void createTable_logsItsStructure_byOidAndAttnum(TestDatabase db) throws Exception {
        try (Installed pg = Installed.on(db)) {
            pg.init();
            db.execute("CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "note varchar(20) NOT NULL DEFAULT 'none', amount numeric(10,2), acl aclitem[])");

            assertEquals(List.of("ddl_command_end|ALTER SEQUENCE,CREATE INDEX,CREATE SEQUENCE,CREATE TABLE"),
                    pg.rows("SELECT event, (SELECT string_agg(t, ',' ORDER BY t) FROM unnest(tags) t) FROM pgcapture.ddl_logs"),
                    "one row for the whole command, each tag once");
            assertEquals(List.of("public|orders|r|default"), pg.rows("SELECT concat_ws('|', t ->> 'schema', t ->> 'table', "
                    + "t ->> 'relkind', t ->> 'replica_identity') FROM pgcapture.ddl_logs, jsonb_each(tables) e(oid, t)"));
            assertEquals("id|int8|20|bigint|true|-|true|always|true", column(pg, "orders", 1));
            assertEquals("note|varchar|1043|character varying(20)|true|'none'::character varying|false|-|true", column(pg, "orders", 2));
            assertEquals("amount|numeric|1700|numeric(10,2)|false|-|false|-|true", column(pg, "orders", 3));
            assertEquals("acl|_aclitem|1034|aclitem[]|false|-|false|-|false", column(pg, "orders", 4));
        }
    }

    @Test
    void compositePrimaryKey_logsEachColumnsOneBasedPositionInTheKey(TestDatabase db) throws Exception {
        try (Installed pg = Installed.on(db)) {
            pg.init();
            db.execute("CREATE TABLE lines (a int, b int, c int, PRIMARY KEY (c, a))");

            assertEquals(List.of("a:2", "b:-", "c:1"), pg.rows("SELECT col ->> 'name' || ':' || coalesce(col ->> 'primary_key_position', '-')"
                    + " FROM pgcapture.ddl_logs, jsonb_each(tables) t(oid, v), jsonb_each(v -> 'columns') k(attnum, col) ORDER BY k.attnum::int"));
        }
    }

    @Test
    void addColumnWithDefault_logsTheNewColumnAndItsDefault(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY, gone int, name text)");
        try (Installed pg = Installed.on(db)) {
            pg.init();
            db.execute("ALTER TABLE items DROP COLUMN gone", "ALTER TABLE items ADD COLUMN added timestamptz NOT NULL DEFAULT now()");

            assertEquals(List.of("sql_drop|ALTER TABLE", "ddl_command_end|ALTER TABLE", "ddl_command_end|ALTER TABLE"), pg.rows(LOG));
            assertEquals(List.of("items.gone"), pg.rows("SELECT d ->> 'identity' FROM pgcapture.ddl_logs, jsonb_array_elements(dropped) d"
                    + " WHERE event = 'sql_drop'").stream().map(s -> s.replace("public.", "")).toList());
            assertEquals("added|timestamptz|1184|timestamp with time zone|true|now()|false|-|true", column(pg, "items", 4));
            assertEquals(List.of("1,3,4"), pg.rows("SELECT string_agg(k, ',' ORDER BY k::int) FROM (SELECT tables FROM pgcapture.ddl_logs "
                    + "ORDER BY id DESC LIMIT 1) l, jsonb_each(l.tables) t(oid, v), jsonb_object_keys(v -> 'columns') k"),
                    "the dropped attnum 2 leaves a gap");
        }
    }

    @Test
    void dropOfTemporaryAndRegularTables_logsOnlyTheRegularOnes(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE kept (id int PRIMARY KEY)", "CREATE TABLE regular (id int PRIMARY KEY)");
        try (Installed pg = Installed.on(db); Connection c = db.connect(); Statement s = c.createStatement()) {
            pg.init();
            s.execute("CREATE TEMP TABLE scratch (id int PRIMARY KEY, t text)");
            assertEquals(List.of(), pg.rows(LOG), "CREATE TEMP TABLE alone writes no row");

            s.execute("DROP TABLE scratch, regular");

            assertEquals(List.of("sql_drop|DROP TABLE"), pg.rows(LOG));
            List<String> dropped = pg.rows("SELECT concat_ws(' ', d ->> 'type', d ->> 'identity') FROM pgcapture.ddl_logs, "
                    + "jsonb_array_elements(dropped) d WHERE d ->> 'original' = 'true'");
            assertEquals(List.of("table public.regular"), dropped);
            assertEquals(List.of(), pg.rows("SELECT 1 FROM pgcapture.ddl_logs WHERE dropped::text LIKE '%scratch%'"));
        }
    }

    @Test
    void multiStatementQuery_logsOneRowPerStatement_eachWithTheWholeText(TestDatabase db) throws Exception {
        try (Installed pg = Installed.on(db)) {
            pg.init();
            String query = "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a int REFERENCES a)";
            try (Connection c = DriverManager.getConnection(db.jdbcUrl() + "&preferQueryMode=simple");
                 Statement s = c.createStatement()) {
                s.execute(query);
            }

            assertEquals(List.of("ddl_command_end|CREATE TABLE,CREATE INDEX", "ddl_command_end|CREATE TABLE,CREATE INDEX,ALTER TABLE"),
                    pg.rows(LOG));
            assertEquals(List.of(query, query), pg.rows("SELECT query FROM pgcapture.ddl_logs ORDER BY id"));
            assertEquals(List.of("a", "b"), pg.rows("SELECT t ->> 'table' FROM pgcapture.ddl_logs, jsonb_each(tables) e(k, t) ORDER BY id"));
        }
    }

    @Test
    void doBlock_logsEachDdlItRuns(TestDatabase db) throws Exception {
        try (Installed pg = Installed.on(db)) {
            pg.init();
            db.execute("DO $$ BEGIN FOR i IN 1..2 LOOP EXECUTE format('CREATE TABLE t%s (id int)', i); END LOOP; "
                    + "EXECUTE 'CREATE TEMP TABLE tmp (id int)'; EXECUTE 'ALTER TABLE t1 ADD COLUMN v int'; END $$");

            assertEquals(List.of("ddl_command_end|CREATE TABLE", "ddl_command_end|CREATE TABLE", "ddl_command_end|ALTER TABLE"),
                    pg.rows(LOG));
            assertEquals(List.of("t1|1", "t2|1", "t1|2"), pg.rows("SELECT t ->> 'table', (SELECT count(*) FROM jsonb_object_keys(t -> 'columns')) "
                    + "FROM pgcapture.ddl_logs, jsonb_each(tables) e(k, t) ORDER BY id"));
            assertTrue(pg.rows("SELECT DISTINCT query FROM pgcapture.ddl_logs").get(0).startsWith("DO $$"));
        }
    }

    @Test
    void tableRewrite_logsTheRewrittenTableOid(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE prices (id int PRIMARY KEY, amount text)", "INSERT INTO prices VALUES (1, '12')");
        try (Installed pg = Installed.on(db)) {
            pg.init();
            db.execute("ALTER TABLE prices ALTER COLUMN amount TYPE int USING amount::int");

            assertEquals(List.of("table_rewrite|ALTER TABLE", "ddl_command_end|ALTER TABLE"), pg.rows(LOG));
            assertEquals(pg.rows("SELECT 'prices'::regclass::oid || '|public|prices|4'"),
                    pg.rows("SELECT concat_ws('|', r ->> 'oid', r ->> 'schema', r ->> 'table', r ->> 'reason') "
                            + "FROM pgcapture.ddl_logs, jsonb_array_elements(rewritten) r"));
            assertEquals("amount|int4|23|integer|false|-|false|-|true", column(pg, "prices", 2));
        }
    }

    @Test
    void unprivilegedRole_itsDdlIsCaptured_butItCannotWriteTheLogNorForgeAnEvent(TestDatabase db) throws Exception {
        String role = db.uniqueName("app");
        db.execute("CREATE ROLE " + role + " LOGIN", "GRANT CREATE ON SCHEMA public TO " + role);
        try (Installed pg = Installed.on(db);
             Connection app = DriverManager.getConnection(db.jdbcUrl().replaceFirst("user=[^&]*", "user=" + role));
             Statement s = app.createStatement()) {
            pg.init();

            s.execute("CREATE TABLE owned (id int PRIMARY KEY)");
            SQLException insert = assertThrows(SQLException.class, () -> s.execute(
                    "INSERT INTO pgcapture.ddl_logs (event, tags, role_name) VALUES ('ddl_command_end', '{DROP TABLE}', 'x')"));
            SQLException call = assertThrows(SQLException.class, () -> s.execute("SELECT pgcapture.log_ddl()"));

            assertEquals(List.of("ddl_command_end|CREATE TABLE,CREATE INDEX|" + role),
                    pg.rows("SELECT event, array_to_string(tags, ','), role_name FROM pgcapture.ddl_logs"));
            assertTrue(insert.getMessage().contains("permission denied"), insert.getMessage());
            assertTrue(call.getMessage().contains("permission denied"), call.getMessage());
        } finally {
            db.execute("DROP TABLE IF EXISTS owned", "REVOKE CREATE ON SCHEMA public FROM " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void prune_deletesOnlyRowsOlderThanKept(TestDatabase db) throws Exception {
        try (Installed pg = Installed.on(db); Connection c = db.connect(); Statement s = c.createStatement()) {
            pg.init();
            s.execute("CREATE TABLE old (id int)");
            s.execute("CREATE TABLE young (id int)");
            s.execute("UPDATE pgcapture.ddl_logs SET logged_at = now() - interval '2 days' WHERE query LIKE '%old%'");

            assertEquals(1, DdlLogs.prune(c, java.time.Duration.ofDays(1)));
            assertEquals(List.of("CREATE TABLE young (id int)"), pg.rows("SELECT query FROM pgcapture.ddl_logs"));
        }
    }

    @Test
    void ddlUnderSessionReplicationRoleReplica_isStillCaptured_butDdlOnPgcapturesOwnSchemaIsNot(TestDatabase db) throws Exception {
        try (Installed pg = Installed.on(db)) {
            pg.init();
            db.execute("SET session_replication_role = replica", "CREATE TABLE applied (id int PRIMARY KEY)");
            db.execute("CREATE INDEX ddl_logs_logged_at ON pgcapture.ddl_logs (logged_at)",
                    "ALTER TABLE pgcapture.ddl_logs ALTER COLUMN query SET STORAGE EXTERNAL");

            assertEquals(List.of("ddl_command_end|CREATE TABLE,CREATE INDEX"), pg.rows(LOG));
        }
    }
}
