package dev.pgcapture.agent.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.setup.PreflightReport.Line;
import dev.pgcapture.agent.setup.PreflightReport.Status;
import dev.pgcapture.embedded.LocalPostgres;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code pgcapture check} against real servers, before and after init, healthy and not. */
@ExtendWith(PostgresExtension.class)
class PreflightIT {

    private static PreflightReport check(Installed pg) throws Exception {
        try (Connection c = pg.db.connect()) {
            return new Preflight(pg.settings).run(c);
        }
    }

    private static List<String> checks(PreflightReport report, Status status) {
        return report.lines(status).stream().map(Line::check).toList();
    }

    @Test
    void beforeInit_passes_withNotInitializedLines_andLeavesNothingBehind(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY)");
        try (Installed pg = Installed.on(db)) {
            PreflightReport report = check(pg);

            assertFalse(report.failed(), report.lines().toString());
            assertEquals(List.of("DDL capture", "publication", "replication slot"), checks(report, Status.NOT_INITIALIZED));
            assertTrue(checks(report, Status.OK).containsAll(List.of("server version", "wal_level", "REPLICATION privilege",
                    "create event triggers", "create publication", "replica identity", "binary mode")), report.lines().toString());
            assertEquals(List.of(), pg.rows("SELECT evtname FROM pg_event_trigger UNION ALL SELECT pubname FROM pg_publication "
                    + "UNION ALL SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pgcapture%'"), "the probes were rolled back");
        }
    }

    @Test
    void afterInit_everyCheckIsOk(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY)");
        try (Installed pg = Installed.on(db)) {
            pg.init();

            PreflightReport report = check(pg);

            assertEquals(report.lines().size(), report.lines(Status.OK).size(), report.lines().toString());
            assertTrue(report.lines().stream().anyMatch(l -> l.check().equals("replication slot")
                    && l.detail().contains("retains") && l.detail().contains("wal_status reserved")), report.lines().toString());
        }
    }

    @Test
    void keylessTableAndAclitemColumn_areFailuresWithFixes(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE loose (v int)", "CREATE TABLE grants (id int PRIMARY KEY, acl aclitem[])");
        try (Installed pg = Installed.on(db)) {
            PreflightReport report = check(pg);

            assertTrue(report.failed());
            List<Line> failures = report.lines(Status.FAIL);
            assertEquals(List.of("replica identity", "binary mode"), failures.stream().map(Line::check).toList(), failures.toString());
            assertTrue(failures.get(0).detail().contains("public.loose") && failures.get(0).fix().contains("--replica-identity-full"),
                    failures.get(0).toString());
            assertTrue(failures.get(1).detail().contains("public.grants.acl (aclitem[])") && failures.get(1).fix().contains("--binary=false"),
                    failures.get(1).toString());
        }
    }

    @Test
    void differentPublication_isAFailureSayingHowItDiffers(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY)", "CREATE PUBLICATION pgcapture FOR TABLE items");
        try (Installed pg = Installed.on(db)) {
            PreflightReport report = check(pg);

            assertEquals(List.of("publication"), checks(report, Status.FAIL), report.lines().toString());
            assertTrue(report.lines(Status.FAIL).get(0).detail().contains("exists for TABLE public.items"), report.lines().toString());
        }
    }

    @Test
    void walLevelReplica_fails_withTheFixInItsMessage(@TempDir Path dataDir) throws Exception {
        LocalPostgres.Settings settings = LocalPostgres.Settings.ephemeral(dataDir).withServerSettings(Map.of("wal_level", "replica"));
        try (LocalPostgres server = LocalPostgres.start(settings);
             Connection c = DriverManager.getConnection("jdbc:postgresql://" + server.host() + ":" + server.port()
                     + "/postgres?user=" + LocalPostgres.SUPERUSER)) {
            PreflightReport report = new Preflight(CaptureSetup.Settings.defaults()).run(c);

            assertTrue(report.failed());
            Line walLevel = report.lines(Status.FAIL).get(0);
            assertEquals("wal_level", walLevel.check());
            assertTrue(walLevel.toString().contains("replica") && walLevel.toString().contains("ALTER SYSTEM SET wal_level = logical"),
                    walLevel.toString());
        }
    }
}
