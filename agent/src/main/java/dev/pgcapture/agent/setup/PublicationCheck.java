package dev.pgcapture.agent.setup;

import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The publication init creates, and how an existing one of the same name differs from it. */
final class PublicationCheck {

    private static final String PUBLISH = " WITH (publish = 'insert, update, delete, truncate')";

    private PublicationCheck() {
    }

    /** The tables an explicit publication lists: the chosen ones and always {@code pgcapture.ddl_logs}. */
    static List<TableName> listedTables(CaptureSetup.Settings settings) {
        Set<TableName> tables = new LinkedHashSet<>(settings.tables());
        tables.add(DdlLogs.TABLE_NAME);
        return List.copyOf(tables);
    }

    static String createStatement(CaptureSetup.Settings settings) {
        String name = TableName.quoteIdentifier(settings.publication());
        if (settings.tables().isEmpty()) {
            return "CREATE PUBLICATION " + name + " FOR ALL TABLES" + PUBLISH;
        }
        List<String> quoted = listedTables(settings).stream().map(TableName::quoted).toList();
        return "CREATE PUBLICATION " + name + " FOR TABLE " + String.join(", ", quoted) + PUBLISH;
    }

    static String describe(CaptureSetup.Settings settings) {
        return settings.tables().isEmpty()
                ? "ALL TABLES"
                : "TABLE " + String.join(", ", listedTables(settings).stream().map(TableName::quoted).toList());
    }

    /** How the existing publication differs from the one init would create; empty if it does not exist or matches. */
    static Optional<String> differences(Connection c, CaptureSetup.Settings settings) throws SQLException {
        String name = TableName.quoteIdentifier(settings.publication());
        boolean allTables;
        List<String> missingActions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT puballtables, pubinsert, pubupdate, pubdelete, pubtruncate FROM pg_publication WHERE pubname = ?")) {
            s.setString(1, settings.publication());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                allTables = rs.getBoolean(1);
                String[] actions = {"insert", "update", "delete", "truncate"};
                for (int i = 0; i < actions.length; i++) {
                    if (!rs.getBoolean(i + 2)) {
                        missingActions.add(actions[i]);
                    }
                }
            }
        }
        Set<String> existing = new TreeSet<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT n.nspname, c.relname FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid "
                        + "JOIN pg_class c ON c.oid = r.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE p.pubname = ?")) {
            s.setString(1, settings.publication());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    existing.add(new TableName(rs.getString(1), rs.getString(2)).quoted());
                }
            }
        }
        Set<String> wanted = new TreeSet<>();
        if (!settings.tables().isEmpty()) {
            listedTables(settings).forEach(t -> wanted.add(t.quoted()));
        }
        String has = allTables ? "ALL TABLES" : existing.isEmpty() ? "no tables" : "TABLE " + String.join(", ", existing);
        String ways = ". Ways out: choose another --publication; or DROP PUBLICATION " + name + " and run init again";
        if (allTables != settings.tables().isEmpty() || (!allTables && !existing.equals(wanted))) {
            String fix = allTables || settings.tables().isEmpty() ? "" : "; or ALTER PUBLICATION " + name + " SET "
                    + describe(settings);
            return Optional.of("publication " + name + " exists for " + has + ", but init would publish "
                    + describe(settings) + " (init never changes an existing publication)" + ways + fix);
        }
        if (!missingActions.isEmpty()) {
            return Optional.of("publication " + name + " exists but does not publish " + String.join(", ", missingActions)
                    + ways + "; or ALTER PUBLICATION " + name + " SET (publish = 'insert, update, delete, truncate')");
        }
        return Optional.empty();
    }
}
