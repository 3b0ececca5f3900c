package dev.pgcapture.agent.seed;

import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * Streams one table's rows from the source (inside the snapshot) into the replica with
 * {@code COPY … TO STDOUT} and {@code COPY … FROM STDIN}, one row message at a time, so memory
 * stays bounded whatever the table's size. Binary format, or text when binary values would carry
 * source type OIDs the replica does not know. Generated columns are left out: the replica computes
 * them. COPY writes identity {@code ALWAYS} columns as given.
 */
final class TableCopier {

    private TableCopier() {
    }

    /** Copies the table's rows; returns how many. The replica table is empty and was created in the current transaction. */
    static long copy(Connection source, Connection replica, TableStructure table, boolean text, SeedProgress progress) throws SQLException {
        List<TableStructure.Column> columns = table.columns().values().stream().filter(c -> c.generated() == null).toList();
        TableName name = table.name();
        if (columns.isEmpty()) {
            return copyZeroColumnRows(source, replica, table);
        }
        String list = columns.stream().map(c -> TableName.quoteIdentifier(c.name())).collect(Collectors.joining(", "));
        String format = text ? "(FORMAT text)" : "(FORMAT binary)";
        String only = "p".equals(table.relkind()) ? "" : "ONLY ";
        String out = "COPY (SELECT " + list + " FROM " + only + name.quoted() + ") TO STDOUT " + format;
        String in = "COPY " + name.quoted() + " (" + list + ") FROM STDIN " + (text ? "(FORMAT text, FREEZE)" : "(FORMAT binary, FREEZE)");
        CopyOut reader = source.unwrap(PGConnection.class).getCopyAPI().copyOut(out);
        CopyIn writer;
        try {
            writer = replica.unwrap(PGConnection.class).getCopyAPI().copyIn(in);
        } catch (SQLException e) {
            reader.cancelCopy();
            throw e;
        }
        long messages = 0;
        try {
            byte[] data;
            while ((data = reader.readFromCopy()) != null) {
                writer.writeToCopy(data, 0, data.length);
                messages++;
                // Text sends a message per row; binary adds one for the header and one for the trailer.
                progress.streamed(data.length, text || messages > 1 ? 1 : 0);
            }
            long rows = writer.endCopy();
            progress.correctRows(rows - (text ? messages : Math.max(0, messages - 1)));
            return rows;
        } catch (SQLException e) {
            if (reader.isActive()) {
                reader.cancelCopy();
            }
            if (writer.isActive()) {
                writer.cancelCopy();
            }
            throw e;
        }
    }

    private static long copyZeroColumnRows(Connection source, Connection replica, TableStructure table) throws SQLException {
        long rows;
        String only = "p".equals(table.relkind()) ? "" : "ONLY ";
        try (PreparedStatement s = source.prepareStatement("SELECT count(*) FROM " + only + table.name().quoted());
             ResultSet r = s.executeQuery()) {
            r.next();
            rows = r.getLong(1);
        }
        try (PreparedStatement s = replica.prepareStatement("INSERT INTO " + table.name().quoted()
                + " SELECT FROM pg_catalog.generate_series(1, ?)")) {
            s.setLong(1, rows);
            s.executeUpdate();
        }
        return rows;
    }
}
