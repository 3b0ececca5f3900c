package dev.pgcapture.agent.replica;

import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change.Operation;
import dev.pgcapture.proto.Field;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * Applies a {@link Run} to the replica: its rows go by binary {@code COPY} into a temporary
 * staging table, then one statement applies them all ({@link RunStatements}). Tables without a
 * primary key are changed one row at a time from the staging table, each UPDATE or DELETE
 * touching exactly one row that matches the old row. Every statement checks that it found every
 * row it was meant to change: a replica that lost a row stops the applier rather than drifting.
 *
 * <p>Staging tables live for the session ({@code ON COMMIT DELETE ROWS}); one per shape of run.
 */
final class RunWriter implements RunGrouper.Writer {

    private final Connection c;
    private final Map<List<String>, String> stages = new HashMap<>();
    private int nextStage;

    RunWriter(Connection c) {
        this.c = c;
    }

    /** The replica transaction was rolled back: staging tables created in it are gone. */
    void rolledBack() {
        stages.clear();
    }

    @Override
    public void write(Run run) throws SQLException, ApplyException {
        try {
            String stage = stage(run);
            copy(run, stage);
            RunStatements sql = new RunStatements(run, stage);
            if (run.table().structure().primaryKey().isEmpty() && run.op() != Operation.INSERT) {
                rowByRow(run, sql);
            } else {
                setBased(run, sql);
            }
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM " + stage);
            }
        } catch (SQLException e) {
            if (isConnectionLoss(e)) {
                throw e;
            }
            throw new ApplyException(run.firstLsn(), run.table().structure().name().quoted(),
                    run.describe() + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether {@code e} means the connection is gone (retry) rather than that the change cannot apply. */
    static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    private void setBased(Run run, RunStatements sql) throws SQLException, ApplyException {
        int expected = run.rows().size();
        switch (run.op()) {
            case INSERT -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(sql.insert());
                }
            }
            case UPDATE -> check(run, sql.update(), null, expected, "to update");
            case DELETE -> {
                try (Statement s = c.createStatement()) {
                    int deleted = s.executeUpdate(sql.delete());
                    if (deleted != expected) {
                        throw missing(run, expected - deleted, "to delete");
                    }
                }
            }
            default -> throw new IllegalStateException("not a row operation: " + run.op());
        }
    }

    private void rowByRow(Run run, RunStatements sql) throws SQLException, ApplyException {
        String statement = run.op() == Operation.UPDATE ? sql.updateOneRow() : sql.deleteOneRow();
        try (PreparedStatement s = c.prepareStatement(statement)) {
            for (int n = 1; n <= run.rows().size(); n++) {
                s.setInt(1, n);
                if (run.op() == Operation.UPDATE) {
                    s.setInt(2, n);
                }
                check(run, null, s, 1, "to " + run.op().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    /** Runs a statement returning (rows found, rows whose identity ALWAYS columns differ) and checks both. */
    private void check(Run run, String sql, PreparedStatement prepared, int expected, String what) throws SQLException, ApplyException {
        try (Statement plain = prepared == null ? c.createStatement() : null;
                ResultSet r = prepared == null ? plain.executeQuery(sql) : prepared.executeQuery()) {
            r.next();
            long found = r.getLong(1);
            long differ = r.getLong(2);
            if (found != expected) {
                throw missing(run, expected - found, what);
            }
            if (differ > 0) {
                throw new ApplyException(run.firstLsn(), run.table().structure().name().quoted(), run.describe() + ": " + differ
                        + " rows change an identity GENERATED ALWAYS column, which an UPDATE on the replica cannot set");
            }
        }
    }

    private static ApplyException missing(Run run, long count, String what) {
        return new ApplyException(run.firstLsn(), run.table().structure().name().quoted(), run.describe() + ": " + count
                + " of the rows " + what + " are not in the replica table; the replica has drifted from the source");
    }

    /** The staging table for the run's shape, created on first use. */
    private String stage(Run run) throws SQLException {
        List<String> columns = new ArrayList<>();
        columns.add("n int4");
        for (int i = 0; i < run.valueNames().size(); i++) {
            columns.add("c" + i + " " + stageType(run, run.valueNames().get(i), run.valueKind(i)));
        }
        for (int i = 0; i < run.matchNames().size(); i++) {
            columns.add("o" + i + " " + stageType(run, run.matchNames().get(i), run.matchKind(i)));
        }
        String existing = stages.get(columns);
        if (existing != null) {
            return existing;
        }
        String name = "pgcapture_stage_" + nextStage++;
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE " + name + " (" + String.join(", ", columns) + ") ON COMMIT DELETE ROWS");
        }
        stages.put(columns, name);
        return name;
    }

    private static String stageType(Run run, String column, Run.Kind kind) {
        return kind == Run.Kind.TEXT ? "text" : run.table().structure().column(column).typeSql();
    }

    private void copy(Run run, String stage) throws SQLException {
        BinaryCopy copy = new BinaryCopy();
        int fields = 1 + run.valueNames().size() + run.matchNames().size();
        int n = 0;
        for (Run.Row row : run.rows()) {
            copy.row(fields).int4(++n);
            for (Field field : row.values()) {
                copy.value(valueOf(field));
            }
            for (Field field : row.match()) {
                copy.value(valueOf(field));
            }
        }
        List<String> names = new ArrayList<>();
        names.add("n");
        for (int i = 0; i < run.valueNames().size(); i++) {
            names.add("c" + i);
        }
        for (int i = 0; i < run.matchNames().size(); i++) {
            names.add("o" + i);
        }
        String sql = "COPY " + stage + " (" + String.join(", ", names) + ") FROM STDIN (FORMAT binary)";
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(copy.finish()));
        } catch (IOException e) {
            throw new SQLException("could not send the rows of a run to " + stage + ": " + e.getMessage(), "08006", e);
        }
    }

    /**
     * A field's bytes as the source sent them. Binary arrays and composites embed the source's type
     * OIDs, which differ on the replica for user types; PostgreSQL 14+ (the replicas we support)
     * accepts them, as {@code array_recv} and {@code record_recv} only compare embedded OIDs that are
     * both built in, and stores the column's own types (Pulsar2PgTypesIT pins this).
     */
    private static com.google.protobuf.ByteString valueOf(Field field) {
        return switch (field.getValueCase()) {
            case BINARY -> field.getBinary();
            case TEXT -> com.google.protobuf.ByteString.copyFromUtf8(field.getText());
            case VALUE_NOT_SET -> null;
        };
    }

    /** {@code "name"} of a column, quoted. */
    static String q(String identifier) {
        return TableName.quoteIdentifier(identifier);
    }
}
