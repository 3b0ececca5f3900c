package dev.pgcapture.agent.replica;

import static dev.pgcapture.agent.replica.RunWriter.q;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL that applies a {@link Run} from its staging table {@code s}, where column {@code r}
 * holds the run's number and {@code n} numbers its rows from 1, {@code c<i>} holds the run's i-th
 * written column and {@code o<i>} its i-th matched column, each typed as the replica column or as
 * {@code text} when the values arrived as text (then cast). Identifiers are quoted; the only other
 * text spliced in is the run's number and the source's own {@code format_type} output, the same
 * the replica's tables were created with.
 *
 * <p>Generated columns are never written; identity {@code GENERATED ALWAYS} columns are inserted
 * with {@code OVERRIDING SYSTEM VALUE} and never updated (an UPDATE cannot set them): an UPDATE
 * only changes rows whose value there is the staged one, so its row count is short both when a row
 * is missing and when such a value differs. DELETE and UPDATE report how many rows they changed,
 * which must be as many as the run has; the row-at-a-time statements and {@link #updateCounted}
 * return {@code (rows found, rows whose identity differs)}.
 */
final class RunStatements {

    private final Run run;
    private final TableStructure table;
    private final String target;
    private final String stage;
    private final String thisRun;

    RunStatements(Run run, String stage, int number) {
        this.run = run;
        this.table = run.table().structure();
        this.target = table.name().quoted();
        this.stage = stage;
        this.thisRun = "s.r = " + number;
    }

    /** INSERT of every staged row; with a primary key, a row already there is overwritten. */
    String insert() {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<String> updates = new ArrayList<>();
        boolean overriding = false;
        for (int i = 0; i < run.valueNames().size(); i++) {
            TableStructure.Column column = table.column(run.valueNames().get(i));
            columns.add(q(column.name()));
            values.add(value(i));
            overriding |= isIdentityAlways(column);
            if (!column.primaryKey() && !isIdentityAlways(column)) {
                updates.add(q(column.name()) + " = excluded." + q(column.name()));
            }
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(target).append(" (").append(String.join(", ", columns)).append(')');
        if (overriding) {
            sql.append(" OVERRIDING SYSTEM VALUE");
        }
        sql.append(" SELECT ").append(String.join(", ", values)).append(" FROM ").append(stage).append(" s WHERE ").append(thisRun)
                .append(" ORDER BY s.n");
        List<TableStructure.Column> key = table.primaryKey();
        if (!key.isEmpty()) {
            sql.append(" ON CONFLICT (").append(String.join(", ", key.stream().map(c -> q(c.name())).toList())).append(") DO ");
            sql.append(updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
        }
        return sql.toString();
    }

    /**
     * UPDATE of every staged row, found by its primary key (the old key when the key changes) and
     * by its identity ALWAYS values; empty when the table has no column the UPDATE may set.
     */
    Optional<String> update() {
        List<String> sets = sets();
        if (sets.isEmpty()) {
            // Nothing changes but the row must be found: set a column to itself.
            table.columns().values().stream()
                    .filter(column -> column.generated() == null && !isIdentityAlways(column))
                    .findFirst()
                    .ifPresent(column -> sets.add(q(column.name()) + " = t." + q(column.name())));
        }
        if (sets.isEmpty()) {
            return Optional.empty();
        }
        List<String> condition = new ArrayList<>();
        condition.add(thisRun);
        condition.add(keyCondition());
        condition.addAll(identityChecks());
        return Optional.of("UPDATE " + target + " t SET " + String.join(", ", sets) + " FROM " + stage + " s WHERE "
                + String.join(" AND ", condition));
    }

    /**
     * UPDATE of every staged row, found by its primary key, returning {@code (rows found, rows
     * whose identity differs)}; for tables without a column an UPDATE may set.
     */
    String updateCounted() {
        return "WITH " + updateAndCount(thisRun + " AND " + keyCondition(), "");
    }

    private String keyCondition() {
        List<String> condition = new ArrayList<>();
        List<TableStructure.Column> key = table.primaryKey();
        for (int k = 0; k < key.size(); k++) {
            String name = key.get(k).name();
            String staged = run.matchNames().isEmpty() ? value(run.valueNames().indexOf(name)) : match(k);
            condition.add("t." + q(name) + " = " + staged);
        }
        return String.join(" AND ", condition);
    }

    /** DELETE of every staged row, found by its primary key. */
    String delete() {
        List<String> condition = new ArrayList<>();
        condition.add(thisRun);
        for (int i = 0; i < run.matchNames().size(); i++) {
            condition.add("t." + q(run.matchNames().get(i)) + " = " + match(i));
        }
        return "DELETE FROM " + target + " t USING " + stage + " s WHERE " + String.join(" AND ", condition);
    }

    /**
     * UPDATE of the staged row {@code n} (parameters 1 and 2) in a table without a primary key:
     * one row, any, whose columns equal the old row's in their text form (so types without
     * {@code =}, such as json, point and xml, match too).
     */
    String updateOneRow() {
        return "WITH target AS (" + findOneRow() + "), " + updateAndCount(thisRun + " AND s.n = ? AND t.ctid = target.tid", ", target");
    }

    /** DELETE of the staged row {@code n} (parameter 1) in a table without a primary key; see {@link #updateOneRow}. */
    String deleteOneRow() {
        return "WITH target AS (" + findOneRow() + "), d AS (DELETE FROM " + target + " t USING target WHERE t.ctid = target.tid RETURNING 1) "
                + "SELECT count(*), 0 FROM d";
    }

    private String findOneRow() {
        List<String> condition = new ArrayList<>();
        condition.add(thisRun);
        condition.add("s.n = ?");
        for (int i = 0; i < run.matchNames().size(); i++) {
            condition.add("t." + q(run.matchNames().get(i)) + "::text IS NOT DISTINCT FROM (" + match(i) + ")::text");
        }
        return "SELECT t.ctid AS tid FROM " + target + " t, " + stage + " s WHERE " + String.join(" AND ", condition) + " LIMIT 1";
    }

    /** The columns an UPDATE sets: not identity ALWAYS, and not the key when it is unchanged. */
    private List<String> sets() {
        boolean keyUnchanged = run.matchNames().isEmpty();
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < run.valueNames().size(); i++) {
            TableStructure.Column column = table.column(run.valueNames().get(i));
            if (!isIdentityAlways(column) && !(column.primaryKey() && keyUnchanged)) {
                sets.add(q(column.name()) + " = " + value(i));
            }
        }
        return sets;
    }

    /** {@code t.col IS NOT DISTINCT FROM staged} for every identity ALWAYS column written. */
    private List<String> identityChecks() {
        List<String> checks = new ArrayList<>();
        for (int i = 0; i < run.valueNames().size(); i++) {
            TableStructure.Column column = table.column(run.valueNames().get(i));
            if (isIdentityAlways(column)) {
                checks.add("t." + q(column.name()) + " IS NOT DISTINCT FROM " + value(i));
            }
        }
        return checks;
    }

    /** Whether the run writes an identity ALWAYS column, so an UPDATE's short count may mean a differing value. */
    boolean checksIdentity() {
        return !identityChecks().isEmpty();
    }

    /**
     * {@code u AS (UPDATE … RETURNING ok) SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM u},
     * to follow {@code WITH}; {@code u} is a SELECT of the rows when nothing is to be set.
     */
    private String updateAndCount(String condition, String moreFrom) {
        List<String> sets = sets();
        List<String> checks = identityChecks();
        String ok = checks.isEmpty() ? "true" : String.join(" AND ", checks);
        if (sets.isEmpty()) {
            return "u AS (SELECT " + ok + " AS ok FROM " + target + " t, " + stage + " s" + moreFrom + " WHERE " + condition + ") "
                    + "SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM u";
        }
        return "u AS (UPDATE " + target + " t SET " + String.join(", ", sets) + " FROM " + stage + " s" + moreFrom
                + " WHERE " + condition + " RETURNING " + ok + " AS ok) SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM u";
    }

    private String value(int i) {
        return staged("c" + i, run.valueNames().get(i), run.valueKind(i));
    }

    private String match(int i) {
        return staged("o" + i, run.matchNames().get(i), run.matchKind(i));
    }

    private String staged(String stageColumn, String name, Run.Kind kind) {
        return kind == Run.Kind.TEXT ? "s." + stageColumn + "::" + table.column(name).typeSql() : "s." + stageColumn;
    }

    private static boolean isIdentityAlways(TableStructure.Column column) {
        return "always".equals(column.identity());
    }
}
