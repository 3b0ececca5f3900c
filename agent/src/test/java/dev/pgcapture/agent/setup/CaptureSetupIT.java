package dev.pgcapture.agent.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.TableName;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code pgcapture init} and {@code --drop} against a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class CaptureSetupIT {

    /** What init creates, as the catalog shows it, so a test can see it unchanged or gone. */
    private static final String OBJECTS = """
            SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname = 'pgcapture'
            UNION ALL SELECT 'relation ' || oid::regclass || ' ' || relreplident::text FROM pg_class
                WHERE relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('pgcapture', 'public'))
            UNION ALL SELECT 'function ' || oid::regprocedure FROM pg_proc
                WHERE pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'pgcapture')
            UNION ALL SELECT 'event trigger ' || evtname || ' ' || evtevent || ' ' || evtenabled::text FROM pg_event_trigger
            UNION ALL SELECT 'publication ' || pubname || ' ' || puballtables FROM pg_publication
            UNION ALL SELECT 'published ' || prrelid::regclass FROM pg_publication_rel
            UNION ALL SELECT 'slot ' || slot_name || ' ' || plugin FROM pg_replication_slots WHERE database = current_database()
            ORDER BY 1
            """;

    @Test
    void init_twice_secondRunDoesNothingAndChangesNoCatalogObject(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
        try (Installed pg = Installed.on(db)) {
            SetupReport first = pg.init();
            List<String> objects = pg.rows(OBJECTS);

            SetupReport second = pg.init();

            assertFalse(first.nothingDone());
            assertTrue(second.nothingDone(), second.actions().toString());
            assertEquals(objects, pg.rows(OBJECTS));
            assertTrue(objects.containsAll(List.of("schema pgcapture",
                    "event trigger pgcapture_ddl_command_end ddl_command_end A",
                    "event trigger pgcapture_sql_drop sql_drop A",
                    "event trigger pgcapture_table_rewrite table_rewrite A",
                    "publication pgcapture true",
                    "slot " + pg.settings.slot() + " pgoutput")), objects.toString());
        }
    }

    @Test
    void init_tableWithoutPrimaryKey_refusesNamingIt_andCreatesNothing(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE keyed (id int PRIMARY KEY)", "CREATE TABLE \"Loose\" (v int)");
        try (Installed pg = Installed.on(db)) {
            List<String> before = pg.rows(OBJECTS);

            SetupRefusedException refused = assertThrows(SetupRefusedException.class, pg::init);

            assertEquals(1, refused.problems().size(), refused.getMessage());
            assertTrue(refused.getMessage().contains("public.\"Loose\" has no primary key and replica identity DEFAULT"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("--replica-identity-full") && refused.getMessage().contains("--tables"),
                    refused.getMessage());
            assertEquals(before, pg.rows(OBJECTS));
        }
    }

    @Test
    void init_replicaIdentityFull_setsItOnTheKeylessTable_andUpdateDeleteKeepWorking(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE keyed (id int PRIMARY KEY)", "CREATE TABLE loose (v int)",
                "INSERT INTO loose VALUES (1), (2)");
        try (Installed pg = Installed.on(db)) {
            Installed full = pg.with(pg.settings.withReplicaIdentityFull(true));

            SetupReport report = full.init();

            assertTrue(report.actions().contains("set REPLICA IDENTITY FULL on public.loose (no primary key, replica identity was DEFAULT)"),
                    report.actions().toString());
            assertEquals(List.of("d|keyed", "f|loose"),
                    pg.rows("SELECT relreplident, relname FROM pg_class WHERE relname IN ('keyed', 'loose') ORDER BY 2"));
            db.execute("UPDATE loose SET v = 10 WHERE v = 1", "DELETE FROM loose WHERE v = 2");
            assertEquals(List.of("10"), pg.rows("SELECT v FROM loose"));
        }
    }

    @Test
    void init_withoutReplicaIdentityFull_updateOnKeylessTableWouldFail_soTheRefusalIsReal(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE loose (v int)", "INSERT INTO loose VALUES (1)", "CREATE PUBLICATION plain FOR ALL TABLES");
        java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> db.execute("UPDATE loose SET v = 2"));
        assertTrue(e.getMessage().contains("does not have a replica identity"), e.getMessage());
    }

    @Test
    void init_aclitemArrayColumn_refusedNamingTableColumnAndType(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE grants (id int PRIMARY KEY, acl aclitem[], plain aclitem)");
        try (Installed pg = Installed.on(db)) {
            SetupRefusedException refused = assertThrows(SetupRefusedException.class, pg::init);

            assertEquals(1, refused.problems().size(), refused.getMessage());
            String problem = refused.problems().get(0);
            assertTrue(problem.startsWith("column acl of table public.grants has type aclitem[]"), problem);
            assertTrue(problem.contains("--tables") && problem.contains("--binary=false"), problem);
        }
    }

    @Test
    void init_aclitemTableExcluded_orTextMode_succeeds(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE grants (id int PRIMARY KEY, acl aclitem[])", "CREATE TABLE items (id int PRIMARY KEY)");
        try (Installed pg = Installed.on(db)) {
            Installed excluded = pg.with(pg.settings.withTables(List.of(new TableName("public", "items"))));
            assertFalse(excluded.init().nothingDone());
            assertEquals(List.of("pgcapture.ddl_logs", "items"),
                    pg.rows("SELECT prrelid::regclass FROM pg_publication_rel ORDER BY prrelid DESC"));
            excluded.drop();

            Installed text = pg.with(pg.settings.withBinary(false));
            assertFalse(text.init().nothingDone());
            assertEquals(List.of("t"), pg.rows("SELECT puballtables FROM pg_publication"));
        }
    }

    @Test
    void init_existingPublicationWithOtherTables_refusesSayingHowItDiffers(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY)", "CREATE PUBLICATION pgcapture FOR TABLE items");
        try (Installed pg = Installed.on(db)) {
            SetupRefusedException refused = assertThrows(SetupRefusedException.class, pg::init);

            assertTrue(refused.getMessage().contains("publication pgcapture exists for TABLE public.items, but init would publish ALL TABLES"),
                    refused.getMessage());
        }
    }

    @Test
    void init_unknownTable_refusedNamingIt(TestDatabase db) throws Exception {
        try (Installed pg = Installed.on(db)) {
            Installed listed = pg.with(pg.settings.withTables(List.of(new TableName("public", "nope"))));
            SetupRefusedException refused = assertThrows(SetupRefusedException.class, listed::init);
            assertTrue(refused.getMessage().contains("public.nope"), refused.getMessage());
        }
    }

    @Test
    void drop_removesEverythingInitCreated_andASecondDropDoesNothing(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY)");
        try (Installed pg = Installed.on(db)) {
            List<String> before = pg.rows(OBJECTS);
            pg.init();

            SetupReport dropped = pg.drop();
            SetupReport again = pg.drop();

            assertEquals(before, pg.rows(OBJECTS));
            assertTrue(dropped.actions().containsAll(List.of("dropped event trigger pgcapture_ddl_command_end",
                    "dropped publication pgcapture", "dropped table pgcapture.ddl_logs", "dropped schema pgcapture",
                    "dropped logical replication slot " + pg.settings.slot())), dropped.actions().toString());
            assertTrue(again.nothingDone(), again.actions().toString());
        }
    }

    @Test
    void binarySendableVerdict_matchesWhatPgoutputCanActuallySend(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE plain (id int PRIMARY KEY, acl aclitem)", "CREATE TABLE arrays (id int PRIMARY KEY, acl aclitem[])",
                "CREATE PUBLICATION probe FOR ALL TABLES");
        String slot = db.createPgoutputSlot();
        try {
            db.execute("SET synchronous_commit = on", "INSERT INTO plain VALUES (1, 'postgres=r/postgres')");
            String peek = "SELECT count(*) FROM pg_logical_slot_get_binary_changes('" + slot + "', NULL, NULL, "
                    + "'proto_version', '1', 'publication_names', 'probe', 'binary', 'true')";
            assertEquals(List.of("4"), Installed.rows(db, peek), "a plain aclitem goes as text: begin, relation, insert, commit");
            db.execute("SET synchronous_commit = on", "INSERT INTO arrays VALUES (1, '{postgres=r/postgres}')");
            java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> Installed.rows(db, peek));
            assertTrue(e.getMessage().contains("no binary output function available for type aclitem"), e.getMessage());
            try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
                s.execute(Catalog.SQL.section("create_type_parts", "pg_temp"));
                s.execute(Catalog.SQL.section("create_binary_sendable", "pg_temp"));
                try (java.sql.ResultSet rs = s.executeQuery(
                        "SELECT pg_temp.binary_sendable('aclitem'::regtype), pg_temp.binary_sendable('aclitem[]'::regtype)")) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "plain aclitem is sendable (as text)");
                    assertFalse(rs.getBoolean(2), "aclitem[] is not");
                }
            }
        } finally {
            db.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    @Test
    void init_listedTables_areCheckedToo_includingPartitionsOfAListedPartitionedTable(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE loose (v int)", "CREATE TABLE events (at date, v int) PARTITION BY RANGE (at)",
                "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE ignored (v int)");
        try (Installed pg = Installed.on(db)) {
            Installed listed = pg.with(pg.settings.withTables(TableName.parseList("loose,events")));

            SetupRefusedException refused = assertThrows(SetupRefusedException.class, listed::init);

            assertEquals(2, refused.problems().size(), refused.getMessage());
            assertTrue(refused.getMessage().contains("public.loose") && refused.getMessage().contains("public.events_2024")
                    && !refused.getMessage().contains("ignored"), refused.getMessage());
        }
    }
}
