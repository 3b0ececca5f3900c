package dev.pgcapture.agent.capture;

import dev.pgcapture.agent.FatalAgentException;
import dev.pgcapture.core.PostgresUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells the errors a walsender can end a stream with apart: those retrying cannot fix become a
 * {@link FatalAgentException} that says what to do; the rest (a lost connection, a server
 * restart) stay {@link SQLException}s and are retried.
 */
final class ReplicationErrors {

    private static final Pattern NO_BINARY_OUTPUT = Pattern.compile("no binary output function available for type (.+)");
    private static final Pattern INVALIDATED = Pattern.compile(
            "can no longer get changes from replication slot|This slot has been invalidated|replication slot \"[^\"]*\" does not exist");

    private ReplicationErrors() {
    }

    /** The exception to raise for an error that ended the replication stream. */
    static Exception translate(SQLException error, PostgresUrl url, CaptureSettings settings) {
        String message = String.valueOf(error.getMessage());
        Matcher binary = NO_BINARY_OUTPUT.matcher(message);
        if (binary.find()) {
            String type = binary.group(1).strip();
            return new FatalAgentException("PostgreSQL cannot send a value of type " + type + " in binary, so capture is stuck"
                    + " at this change (the walsender fails at the same position on every retry). Affected columns: "
                    + affectedColumns(url, settings.publication(), type) + ". Either remove those tables from publication \""
                    + settings.publication() + "\" (run `pgcapture init --tables …` without them), or capture the whole stream"
                    + " in text mode with --binary=false.", error);
        }
        if (INVALIDATED.matcher(message).find()) {
            return new FatalAgentException("replication slot \"" + settings.slot() + "\" cannot be read any more (" + message
                    + "): re-seed needed. Drop the slot, run `pgcapture init`, then seed the replicas again.", error);
        }
        return error;
    }

    /**
     * The published columns binary mode cannot send, by the same recursive test {@code init}
     * and the DDL trigger use ({@code pgcapture.binary_sendable}), for the message.
     */
    private static String affectedColumns(PostgresUrl url, String publication, String type) {
        String sql = """
                SELECT format('%I.%I', pt.schemaname, pt.tablename), a.attname, format_type(a.atttypid, a.atttypmod)
                FROM pg_catalog.pg_publication_tables pt
                JOIN pg_catalog.pg_namespace n ON n.nspname = pt.schemaname
                JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename
                JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE pt.pubname = ? AND NOT pgcapture.binary_sendable(a.atttypid)
                ORDER BY 1, a.attnum""";
        List<String> columns = new ArrayList<>();
        try (Connection connection = url.connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, publication);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    columns.add(row.getString(1) + " column \"" + row.getString(2) + "\" (" + row.getString(3) + ")");
                }
            }
        } catch (SQLException e) {
            return "unknown (looking them up failed: " + e.getMessage() + ")";
        }
        return columns.isEmpty() ? "none found for type " + type + "; `pgcapture check` lists them" : String.join(", ", columns);
    }
}
