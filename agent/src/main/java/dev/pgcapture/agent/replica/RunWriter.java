package dev.pgcapture.agent.replica;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change.Operation;
import dev.pgcapture.proto.Field;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Applies the {@link Run}s a {@link RunGrouper} gathered, in few round trips: the rows of all runs
 * of one staging shape go by one binary {@code COPY} into a temporary staging table (column
 * {@code r} numbers the runs), then the set-based statements of all runs ({@link RunStatements})
 * go to the server in one pipelined batch, whose row counts are checked. Tables without a primary
 * key are changed one row at a time from the staging table, each UPDATE or DELETE touching exactly
 * one row that matches the old row; such a run first sends the statements before it. Every
 * UPDATE and DELETE checks that it found every row it was meant to change: a replica that lost a
 * row stops the applier rather than drifting.
 *
 * <p>Staging tables live for the session ({@code ON COMMIT DELETE ROWS}); one per shape of run,
 * emptied at the end of each write.
 */
final class RunWriter implements RunGrouper.Writer {

    private static final Pattern COPY_LINE = Pattern.compile("\\bline (\\d+)");

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
    public void write(List<Run> runs) throws SQLException, ApplyException {
        Map<String, List<Integer>> staged = new LinkedHashMap<>();
        String[] stageOf = new String[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            try {
                stageOf[i] = stage(runs.get(i));
            } catch (SQLException e) {
                throw failed(runs.get(i), e);
            }
            staged.computeIfAbsent(stageOf[i], stage -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> stage : staged.entrySet()) {
            copy(runs, stage.getKey(), stage.getValue());
        }
        Batch batch = new Batch();
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            RunStatements sql = new RunStatements(run, stageOf[i], i + 1);
            try {
                if (run.op() == Operation.INSERT) {
                    batch.add(sql.insert(), run, -1, "");
                } else if (run.table().structure().primaryKey().isEmpty()) {
                    batch.execute();
                    rowByRow(run, sql);
                } else if (run.op() == Operation.DELETE) {
                    batch.add(sql.delete(), run, run.rows().size(), "to delete");
                } else {
                    Optional<String> update = sql.update();
                    if (update.isPresent()) {
                        batch.add(update.get(), run, run.rows().size(), sql.checksIdentity() ? "to update (or whose identity GENERATED ALWAYS "
                                + "values differ, which an UPDATE on the replica cannot set)" : "to update");
                    } else {
                        batch.execute();
                        check(run, sql.updateCounted(), null, run.rows().size(), "to update");
                    }
                }
            } catch (SQLException e) {
                throw failed(run, e);
            }
        }
        for (String stage : staged.keySet()) {
            batch.add("DELETE FROM " + stage, null, -1, "");
        }
        batch.execute();
    }

    /** Whether {@code e} means the connection is gone (retry) rather than that the change cannot apply. */
    static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    private static SQLException failed(Run run, SQLException e) throws ApplyException {
        if (isConnectionLoss(e)) {
            return e;
        }
        throw new ApplyException(run.firstLsn(), run.table().structure().name().quoted(), run.describe() + " failed: " + e.getMessage(), e);
    }

    /** Statements sent together, each with the run it applies and the rows it must change (-1: unchecked). */
    private final class Batch {

        private final List<String> statements = new ArrayList<>();
        private final List<Run> runs = new ArrayList<>();
        private final List<Integer> expected = new ArrayList<>();
        private final List<String> what = new ArrayList<>();

        void add(String sql, Run run, int rows, String description) {
            statements.add(sql);
            runs.add(run);
            expected.add(rows);
            what.add(description);
        }

        void execute() throws SQLException, ApplyException {
            if (statements.isEmpty()) {
                return;
            }
            int[] counts;
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.addBatch(sql);
                }
                counts = s.executeBatch();
            } catch (BatchUpdateException e) {
                SQLException cause = e.getNextException() != null ? e.getNextException() : e;
                Run run = runs.get(failedAt(e));
                if (run == null) {
                    throw cause;
                }
                throw failed(run, cause);
            }
            for (int i = 0; i < counts.length; i++) {
                if (expected.get(i) >= 0 && counts[i] != expected.get(i)) {
                    throw missing(runs.get(i), expected.get(i) - counts[i], what.get(i));
                }
            }
            statements.clear();
            runs.clear();
            expected.clear();
            what.clear();
        }

        /**
         * The entry that failed: pgjdbc marks every entry failed when not in auto-commit, but names
         * the failing statement's text in its message (each entry's text is unique: it names its run).
         */
        private int failedAt(BatchUpdateException e) {
            String message = String.valueOf(e.getMessage());
            for (int i = 0; i < statements.size(); i++) {
                if (message.contains(statements.get(i))) {
                    return i;
                }
            }
            return 0;
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
        columns.add("r int4");
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

    /** Sends the rows of the runs {@code numbers} (indexes into {@code runs}), all of one shape, to {@code stage}. */
    private void copy(List<Run> runs, String stage, List<Integer> numbers) throws SQLException, ApplyException {
        Run shape = runs.get(numbers.getFirst());
        BinaryCopy copy = new BinaryCopy();
        int fields = 2 + shape.valueNames().size() + shape.matchNames().size();
        for (int number : numbers) {
            int n = 0;
            for (Run.Row row : runs.get(number).rows()) {
                copy.row(fields).int4(number + 1).int4(++n);
                for (Field field : row.values()) {
                    copy.value(valueOf(field));
                }
                for (Field field : row.match()) {
                    copy.value(valueOf(field));
                }
            }
        }
        List<String> names = new ArrayList<>(List.of("r", "n"));
        for (int i = 0; i < shape.valueNames().size(); i++) {
            names.add("c" + i);
        }
        for (int i = 0; i < shape.matchNames().size(); i++) {
            names.add("o" + i);
        }
        String sql = "COPY " + stage + " (" + String.join(", ", names) + ") FROM STDIN (FORMAT binary)";
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(copy.finish()));
        } catch (IOException e) {
            throw new SQLException("could not send the rows of a run to " + stage + ": " + e.getMessage(), "08006", e);
        } catch (SQLException e) {
            throw failedRow(runs, numbers, e);
        }
    }

    /** The failure of a COPY, naming the run and source transaction of the row the server names ({@code line N}). */
    private static SQLException failedRow(List<Run> runs, List<Integer> numbers, SQLException e) throws ApplyException {
        Run run = runs.get(numbers.getFirst());
        Lsn lsn = run.firstLsn();
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        Matcher line = COPY_LINE.matcher(server == null || server.getWhere() == null ? "" : server.getWhere());
        if (line.find()) {
            long row = Long.parseLong(line.group(1)) - 1;
            for (int number : numbers) {
                run = runs.get(number);
                if (row < run.rows().size()) {
                    lsn = run.rows().get((int) row).source().commitLsn();
                    break;
                }
                row -= run.rows().size();
            }
        }
        if (isConnectionLoss(e)) {
            return e;
        }
        throw new ApplyException(lsn, run.table().structure().name().quoted(), run.describe() + " failed: " + e.getMessage(), e);
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
