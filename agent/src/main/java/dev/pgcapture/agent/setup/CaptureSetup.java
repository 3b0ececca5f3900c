package dev.pgcapture.agent.setup;

import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.setup.Catalog.PublishedTable;
import dev.pgcapture.agent.setup.Catalog.Slot;
import dev.pgcapture.agent.setup.Catalog.UnsendableColumn;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code pgcapture init} and {@code pgcapture init --drop}: installs (or removes) what capture
 * needs in the source database: schema {@code pgcapture} with {@link DdlLogs#TABLE}, the DDL
 * event triggers and their functions, the publication and the {@code pgoutput} slot.
 *
 * <p>Guarantees: both operations are idempotent (a second run does nothing and reports nothing);
 * {@link #init} checks everything first and throws {@link SetupRefusedException} listing every
 * problem, having changed nothing, when publishing would break the application (UPDATE/DELETE
 * on tables with no replica identity) or binary capture would stop (columns binary mode cannot
 * send), or when an existing publication or slot is not the one it would create. It never
 * changes an existing publication or slot.
 */
public final class CaptureSetup {

    /**
     * What to set up.
     *
     * @param slot the logical replication slot's name
     * @param publication the publication's name
     * @param tables the tables to publish; empty publishes all tables ({@code FOR ALL TABLES})
     * @param replicaIdentityFull set {@code REPLICA IDENTITY FULL} on published tables that have no
     *     primary key (and replica identity DEFAULT or NOTHING) instead of refusing
     * @param binary capture in binary mode; then columns it cannot send are refused
     */
    public record Settings(String slot, String publication, List<TableName> tables, boolean replicaIdentityFull,
                           boolean binary) {

        public static final String DEFAULT_SLOT = CaptureSettings.DEFAULT_NAME;
        public static final String DEFAULT_PUBLICATION = CaptureSettings.DEFAULT_NAME;

        public Settings {
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(publication, "publication");
            CaptureSettings.checkSlot(slot);
            CaptureSettings.checkPublication(publication);
            tables = List.copyOf(tables);
        }

        /** Slot and publication {@code pgcapture}, all tables, no replica identity change, binary mode. */
        public static Settings defaults() {
            return new Settings(DEFAULT_SLOT, DEFAULT_PUBLICATION, List.of(), false, true);
        }

        public Settings withSlot(String slot) {
            return new Settings(slot, publication, tables, replicaIdentityFull, binary);
        }

        public Settings withPublication(String publication) {
            return new Settings(slot, publication, tables, replicaIdentityFull, binary);
        }

        public Settings withTables(List<TableName> tables) {
            return new Settings(slot, publication, tables, replicaIdentityFull, binary);
        }

        public Settings withReplicaIdentityFull(boolean replicaIdentityFull) {
            return new Settings(slot, publication, tables, replicaIdentityFull, binary);
        }

        public Settings withBinary(boolean binary) {
            return new Settings(slot, publication, tables, replicaIdentityFull, binary);
        }
    }

    private final Settings settings;

    public CaptureSetup(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Creates whatever is missing, on {@code c} (an ordinary connection in autocommit mode, as a
     * role that may create event triggers, publications and replication slots).
     *
     * @throws SetupRefusedException listing every problem, having changed nothing
     */
    public SetupReport init(Connection c) throws SQLException {
        List<PublishedTable> published = Catalog.publishedTables(c, settings.tables());
        List<PublishedTable> noIdentity = published.stream().filter(PublishedTable::updatesWouldFail).toList();
        List<String> problems = new ArrayList<>();
        if (!settings.replicaIdentityFull()) {
            noIdentity.forEach(t -> problems.add(Problems.noIdentity(t)));
        }
        if (settings.binary()) {
            Catalog.unsendableColumns(c, published).forEach(column -> problems.add(Problems.unsendable(column)));
        }
        PublicationCheck.differences(c, settings).ifPresent(problems::add);
        Optional<Slot> slot = Catalog.slot(c, settings.slot());
        slot.flatMap(s -> Problems.foreignSlot(settings.slot(), s, currentDatabase(c))).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new SetupRefusedException("pgcapture init", problems);
        }

        List<String> actions = new ArrayList<>();
        inTransaction(c, () -> createObjects(c, noIdentity, actions));
        if (slot.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                s.setString(1, settings.slot());
                s.execute();
            }
            actions.add("created logical replication slot " + settings.slot() + " (plugin pgoutput)");
        }
        return new SetupReport(actions);
    }

    private void createObjects(Connection c, List<PublishedTable> noIdentity, List<String> actions) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (!Catalog.schemaExists(c)) {
                s.execute(Catalog.SQL.section("create_schema"));
                actions.add("created schema pgcapture (no access for PUBLIC)");
            }
            if (!Catalog.ddlLogsExists(c)) {
                s.execute(Catalog.SQL.section("create_ddl_logs"));
                actions.add("created table " + DdlLogs.TABLE + " (no access for PUBLIC)");
            }
            for (String function : Catalog.FUNCTIONS) {
                if (!Catalog.functionExists(c, function)) {
                    s.execute(Catalog.SQL.section("create_" + function, Catalog.SCHEMA));
                    actions.add("created function pgcapture." + function);
                }
            }
            for (PublishedTable table : noIdentity) {
                s.execute("ALTER TABLE " + table.name().quoted() + " REPLICA IDENTITY FULL");
                actions.add("set REPLICA IDENTITY FULL on " + table.name().quoted()
                        + " (no primary key, replica identity was " + table.replicaIdentityName() + ")");
            }
            if (!Catalog.publicationExists(c, settings.publication())) {
                s.execute(PublicationCheck.createStatement(settings));
                actions.add("created publication " + TableName.quoteIdentifier(settings.publication()) + " for "
                        + PublicationCheck.describe(settings));
            }
            for (String trigger : Catalog.EVENT_TRIGGERS) {
                Optional<String> enabled = Catalog.eventTrigger(c, trigger);
                if (enabled.isEmpty()) {
                    s.execute(Catalog.SQL.section("create_trigger_" + trigger.substring("pgcapture_".length())));
                    actions.add("created event trigger " + trigger + " (ENABLE ALWAYS)");
                } else if (!enabled.get().equals("A")) {
                    s.execute("ALTER EVENT TRIGGER " + trigger + " ENABLE ALWAYS");
                    actions.add("enabled event trigger " + trigger + " ALWAYS (it was " + enabled.get() + ")");
                }
            }
        }
    }

    /**
     * Removes everything {@link #init} creates, whatever exists of it, on {@code c} (autocommit).
     *
     * @throws SetupRefusedException having changed nothing, when the slot is in use or belongs to another database
     */
    public SetupReport drop(Connection c) throws SQLException {
        Optional<Slot> slot = Catalog.slot(c, settings.slot());
        List<String> problems = new ArrayList<>();
        slot.flatMap(s -> Problems.foreignSlot(settings.slot(), s, currentDatabase(c))).ifPresent(problems::add);
        if (slot.isPresent() && slot.get().active()) {
            problems.add("slot " + settings.slot() + " is in use by a replication connection (a running capture agent?): "
                    + "stop it, then run pgcapture init --drop again");
        }
        if (!problems.isEmpty()) {
            throw new SetupRefusedException("pgcapture init --drop", problems);
        }
        List<String> actions = new ArrayList<>();
        inTransaction(c, () -> {
            try (Statement s = c.createStatement()) {
                for (String trigger : Catalog.EVENT_TRIGGERS) {
                    if (Catalog.eventTrigger(c, trigger).isPresent()) {
                        s.execute("DROP EVENT TRIGGER " + trigger);
                        actions.add("dropped event trigger " + trigger);
                    }
                }
                if (Catalog.publicationExists(c, settings.publication())) {
                    s.execute("DROP PUBLICATION " + TableName.quoteIdentifier(settings.publication()));
                    actions.add("dropped publication " + TableName.quoteIdentifier(settings.publication()));
                }
                for (String function : Catalog.FUNCTIONS.reversed()) {
                    if (Catalog.functionExists(c, function)) {
                        s.execute("DROP FUNCTION pgcapture." + function);
                        actions.add("dropped function pgcapture." + function);
                    }
                }
                if (Catalog.ddlLogsExists(c)) {
                    s.execute("DROP TABLE " + DdlLogs.TABLE);
                    actions.add("dropped table " + DdlLogs.TABLE);
                }
                if (Catalog.schemaExists(c)) {
                    s.execute("DROP SCHEMA pgcapture");
                    actions.add("dropped schema pgcapture");
                }
            }
        });
        if (slot.isPresent()) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                s.setString(1, settings.slot());
                s.execute();
            }
            actions.add("dropped logical replication slot " + settings.slot());
        }
        return new SetupReport(actions);
    }

    private static String currentDatabase(Connection c) {
        try {
            return Catalog.currentDatabase(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read current_database(): " + e.getMessage(), e);
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private static void inTransaction(Connection c, SqlWork work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
