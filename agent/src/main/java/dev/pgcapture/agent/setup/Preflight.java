package dev.pgcapture.agent.setup;

import dev.pgcapture.agent.setup.Catalog.PublishedTable;
import dev.pgcapture.agent.setup.Catalog.Slot;
import dev.pgcapture.agent.setup.Catalog.UnsendableColumn;
import dev.pgcapture.agent.setup.PreflightReport.Line;
import dev.pgcapture.agent.setup.PreflightReport.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code pgcapture check}: whether the server, the role and the database are ready for capture
 * (before init) and healthy (after it). It changes nothing: privileges are proven by trying the
 * statements init runs inside one transaction that is always rolled back.
 */
public final class Preflight {

    private static final int MIN_VERSION_NUM = 140000;

    private final CaptureSetup.Settings settings;

    public Preflight(CaptureSetup.Settings settings) {
        this.settings = settings;
    }

    /** Runs every check on {@code c} (an ordinary connection; it is left in its autocommit mode). */
    public PreflightReport run(Connection c) throws SQLException {
        List<Line> lines = new ArrayList<>();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            server(c, lines);
            privileges(c, lines);
            installed(c, lines);
            tables(c, lines);
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
        return new PreflightReport(lines);
    }

    private void server(Connection c, List<Line> lines) throws SQLException {
        int version = Integer.parseInt(value(c, "SHOW server_version_num"));
        lines.add(version >= MIN_VERSION_NUM
                ? ok("server version", value(c, "SHOW server_version"))
                : fail("server version", value(c, "SHOW server_version") + " is older than 14",
                        "upgrade PostgreSQL to 14 or later (binary pgoutput needs it)"));
        String walLevel = value(c, "SHOW wal_level");
        lines.add(walLevel.equals("logical")
                ? ok("wal_level", "logical")
                : fail("wal_level", walLevel + ", logical decoding needs logical",
                        "ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL"));
        int maxSlots = Integer.parseInt(value(c, "SELECT current_setting('max_replication_slots')"));
        int usedSlots = Integer.parseInt(value(c, "SELECT count(*) FROM pg_replication_slots"));
        boolean ownSlot = Catalog.slot(c, settings.slot()).isPresent();
        String slots = usedSlots + " of max_replication_slots = " + maxSlots + " in use";
        lines.add(ownSlot || usedSlots < maxSlots
                ? ok("replication slots", slots + (ownSlot ? ", one of them ours" : ""))
                : fail("replication slots", slots + ", none free for slot " + settings.slot(),
                        "drop unused slots (SELECT pg_drop_replication_slot(name)), or raise max_replication_slots and restart"));
        int maxSenders = Integer.parseInt(value(c, "SELECT current_setting('max_wal_senders')"));
        int usedSenders = Integer.parseInt(value(c, "SELECT count(*) FROM pg_stat_replication"));
        String senders = usedSenders + " of max_wal_senders = " + maxSenders + " in use";
        lines.add(usedSenders < maxSenders
                ? ok("WAL senders", senders)
                : fail("WAL senders", senders + ", none free for the capture agent", "raise max_wal_senders and restart PostgreSQL"));
    }

    private void privileges(Connection c, List<Line> lines) throws SQLException {
        String role = value(c, "SELECT current_user");
        boolean replication = value(c, "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user").equals("t");
        lines.add(replication
                ? ok("REPLICATION privilege", "role " + role + " may open replication connections")
                : fail("REPLICATION privilege", "role " + role + " has neither REPLICATION nor SUPERUSER",
                        "ALTER ROLE " + dev.pgcapture.core.TableName.quoteIdentifier(role)
                                + " REPLICATION (on managed services, grant the provider's replication role)"));
        lines.add(attempt(c, "create schema", "role " + role + " may create schema pgcapture",
                "grant the role CREATE on the database, or run init as its owner",
                "CREATE SCHEMA pgcapture_preflight_probe"));
        lines.add(attempt(c, "create event triggers", "role " + role + " may create event triggers",
                "run init as a superuser (or the provider's admin role, e.g. rds_superuser / cloudsqlsuperuser)",
                "CREATE FUNCTION pg_temp.pgcapture_preflight_probe() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END'",
                "CREATE EVENT TRIGGER pgcapture_preflight_probe ON ddl_command_end EXECUTE FUNCTION pg_temp.pgcapture_preflight_probe()"));
        String publication = settings.tables().isEmpty()
                ? "FOR ALL TABLES"
                : "FOR TABLE " + String.join(", ", settings.tables().stream().map(t -> t.quoted()).toList());
        lines.add(attempt(c, "create publication", "role " + role + " may create a publication " + publication,
                settings.tables().isEmpty()
                        ? "run init as a superuser (FOR ALL TABLES needs one), or list the tables with --tables"
                        : "run init as the owner of the listed tables, or as a superuser",
                "CREATE PUBLICATION pgcapture_preflight_probe " + publication));
    }

    /** Runs {@code statements} in a savepoint that is rolled back: OK if they all succeed. */
    private static Line attempt(Connection c, String check, String success, String fix, String... statements) throws SQLException {
        Savepoint savepoint = c.setSavepoint();
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
            return ok(check, success);
        } catch (SQLException e) {
            return fail(check, "refused: " + e.getMessage().lines().findFirst().orElse(""), fix);
        } finally {
            c.rollback(savepoint);
        }
    }

    private void installed(Connection c, List<Line> lines) throws SQLException {
        int present = (Catalog.schemaExists(c) ? 1 : 0) + (Catalog.ddlLogsExists(c) ? 1 : 0);
        int always = 0;
        for (String function : Catalog.FUNCTIONS) {
            present += Catalog.functionExists(c, function) ? 1 : 0;
        }
        for (String trigger : Catalog.EVENT_TRIGGERS) {
            Optional<String> enabled = Catalog.eventTrigger(c, trigger);
            present += enabled.isPresent() ? 1 : 0;
            always += enabled.filter("A"::equals).isPresent() ? 1 : 0;
        }
        int expected = 2 + Catalog.FUNCTIONS.size() + Catalog.EVENT_TRIGGERS.size();
        if (present == 0) {
            lines.add(new Line(Status.NOT_INITIALIZED, "DDL capture", "schema pgcapture and its event triggers are not installed",
                    "pgcapture init"));
        } else if (present < expected || always < Catalog.EVENT_TRIGGERS.size()) {
            lines.add(fail("DDL capture", "incomplete: " + present + " of " + expected + " objects present, "
                    + always + " of " + Catalog.EVENT_TRIGGERS.size() + " event triggers ENABLE ALWAYS", "run pgcapture init again"));
        } else {
            lines.add(ok("DDL capture", DdlLogs.TABLE + " and " + always + " event triggers (ENABLE ALWAYS) installed"));
        }

        String publication = dev.pgcapture.core.TableName.quoteIdentifier(settings.publication());
        if (!Catalog.publicationExists(c, settings.publication())) {
            lines.add(new Line(Status.NOT_INITIALIZED, "publication", publication + " does not exist", "pgcapture init"));
        } else {
            Savepoint savepoint = c.setSavepoint();
            try {
                Optional<String> differs = PublicationCheck.differences(c, settings);
                lines.add(differs.isPresent()
                        ? fail("publication", differs.get(), "see the ways out above")
                        : ok("publication", publication + " for " + PublicationCheck.describe(settings)));
            } catch (SetupRefusedException e) {
                c.rollback(savepoint);
                lines.add(fail("publication", String.join("; ", e.problems()), "correct --tables"));
            }
        }
        slot(c, lines);
    }

    private void slot(Connection c, List<Line> lines) throws SQLException {
        Optional<Slot> slot = Catalog.slot(c, settings.slot());
        if (slot.isEmpty()) {
            lines.add(new Line(Status.NOT_INITIALIZED, "replication slot", settings.slot() + " does not exist", "pgcapture init"));
            return;
        }
        Optional<String> foreign = Problems.foreignSlot(settings.slot(), slot.get(), Catalog.currentDatabase(c));
        if (foreign.isPresent()) {
            lines.add(fail("replication slot", foreign.get(), "see the ways out above"));
            return;
        }
        // pg_replication_slots grows columns by version (conflicting in 16, invalidation_reason in 17): read it as JSON.
        try (PreparedStatement s = c.prepareStatement("""
                SELECT to_jsonb(s) ->> 'wal_status', to_jsonb(s) ->> 'invalidation_reason', to_jsonb(s) ->> 'conflicting',
                       pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)), s.active
                FROM pg_replication_slots s WHERE s.slot_name = ?""")) {
            s.setString(1, settings.slot());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String walStatus = rs.getString(1);
                String reason = rs.getString(2);
                boolean conflicting = "true".equals(rs.getString(3));
                String retained = rs.getString(4);
                String state = (rs.getBoolean(5) ? "active" : "inactive") + ", retains " + retained + " of WAL, wal_status " + walStatus;
                String reseed = "re-seed needed: the slot cannot resume, nothing will be recreated silently; "
                        + "run pgcapture init --drop, pgcapture init, then re-seed the replicas";
                if ("lost".equals(walStatus) || reason != null || conflicting) {
                    lines.add(fail("replication slot", settings.slot() + " is invalidated ("
                            + (reason != null ? reason : conflicting ? "conflict with recovery" : "required WAL removed") + "), " + state, reseed));
                } else if ("unreserved".equals(walStatus)) {
                    lines.add(new Line(Status.WARN, "replication slot", settings.slot() + " is about to lose required WAL, " + state,
                            "start the capture agent so it catches up, or raise max_slot_wal_keep_size"));
                } else {
                    lines.add(ok("replication slot", settings.slot() + " (pgoutput), " + state));
                }
            }
        }
    }

    private void tables(Connection c, List<Line> lines) throws SQLException {
        List<PublishedTable> published;
        Savepoint savepoint = c.setSavepoint();
        try {
            published = Catalog.publishedTables(c, settings.tables());
        } catch (SetupRefusedException e) {
            c.rollback(savepoint);
            lines.add(fail("published tables", String.join("; ", e.problems()), "correct --tables"));
            return;
        }
        List<PublishedTable> noIdentity = published.stream().filter(PublishedTable::updatesWouldFail).toList();
        for (PublishedTable table : noIdentity) {
            lines.add(fail("replica identity", table.name().quoted() + " cannot be captured fully",
                    Problems.noIdentity(table)));
        }
        if (noIdentity.isEmpty()) {
            lines.add(ok("replica identity", published.size() + " published tables, each with a primary key or a replica identity"));
        }
        if (!settings.binary()) {
            lines.add(ok("binary mode", "text mode chosen (--binary=false): every column can be sent"));
            return;
        }
        List<UnsendableColumn> unsendable = Catalog.unsendableColumns(c, published);
        for (UnsendableColumn column : unsendable) {
            lines.add(fail("binary mode", column.table().quoted() + "." + column.column() + " (" + column.type()
                    + ") cannot be sent in binary", Problems.unsendable(column)));
        }
        if (unsendable.isEmpty()) {
            lines.add(ok("binary mode", "every column of the published tables can be sent in binary"));
        }
    }

    private static Line ok(String check, String detail) {
        return new Line(Status.OK, check, detail, "");
    }

    private static Line fail(String check, String detail, String fix) {
        return new Line(Status.FAIL, check, detail, fix);
    }

    private static String value(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
