package dev.pgcapture.agent.replica;

import static dev.pgcapture.agent.replica.RunWriter.q;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that applies a {@link Run} from its staging table {@code s}: column {@code n} numbers the
 * rows from 1, {@code c<i>} holds the run's i-th written column and {@code o<i>} its i-th matched
 * column, each typed as the replica column or as {@code text} when the values arrived as text (then
 * cast). Identifiers are quoted; the only other text spliced in is the source's own
 * {@code format_type} output, the same the replica's tables were created with.
 *
 * <p>Generated columns are never written; identity {@code GENERATED ALWAYS} columns are inserted
 * with {@code OVERRIDING SYSTEM VALUE} and never updated (an UPDATE cannot set them): the
 * statement instead reports rows whose value there differs, and the writer fails on them.
 * UPDATE and the row-at-a-time statements return {@code (rows found, rows whose identity differs)}.
 */
final class RunStatements {

    private final Run run;
    private final TableStructure table;
    private final String target;
    private final String stage;

    RunStatements(Run run, String stage) {
        this.run = run;
        this.table = run.table().structure();
        this.target = table.name().quoted();
        this.stage = stage;
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
        sql.append(" SELECT ").append(String.join(", ", values)).append(" FROM ").append(stage).append(" s ORDER BY s.n");
        List<TableStructure.Column> key = table.primaryKey();
        if (!key.isEmpty()) {
            sql.append(" ON CONFLICT (").append(String.join(", ", key.stream().map(c -> q(c.name())).toList())).append(") DO ");
            sql.append(updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
        }
        return sql.toString();
    }

    /** UPDATE of every staged row, found by its primary key (the old key when the key changes). */
    String update() {
        List<String> condition = new ArrayList<>();
        List<TableStructure.Column> key = table.primaryKey();
        for (int k = 0; k < key.size(); k++) {
            String name = key.get(k).name();
            String staged = run.matchNames().isEmpty() ? value(run.valueNames().indexOf(name)) : match(k);
            condition.add("t." + q(name) + " = " + staged);
        }
        return "WITH " + updateAndCount(String.join(" AND ", condition), "");
    }

    /** DELETE of every staged row, found by its primary key. */
    String delete() {
        List<String> condition = new ArrayList<>();
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
        return "WITH target AS (" + findOneRow() + "), " + updateAndCount("s.n = ? AND t.ctid = target.tid", ", target");
    }

    /** DELETE of the staged row {@code n} (parameter 1) in a table without a primary key; see {@link #updateOneRow}. */
    String deleteOneRow() {
        return "WITH target AS (" + findOneRow() + "), d AS (DELETE FROM " + target + " t USING target WHERE t.ctid = target.tid RETURNING 1) "
                + "SELECT count(*), 0 FROM d";
    }

    private String findOneRow() {
        List<String> condition = new ArrayList<>();
        condition.add("s.n = ?");
        for (int i = 0; i < run.matchNames().size(); i++) {
            condition.add("t." + q(run.matchNames().get(i)) + "::text IS NOT DISTINCT FROM (" + match(i) + ")::text");
        }
        return "SELECT t.ctid AS tid FROM " + target + " t, " + stage + " s WHERE " + String.join(" AND ", condition) + " LIMIT 1";
    }

    /**
     * {@code u AS (UPDATE … RETURNING ok) SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM u},
     * to follow {@code WITH}; {@code u} is a SELECT of the rows when nothing is to be set.
     */
    private String updateAndCount(String condition, String moreFrom) {
        boolean keyUnchanged = run.matchNames().isEmpty();
        List<String> sets = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        for (int i = 0; i < run.valueNames().size(); i++) {
            TableStructure.Column column = table.column(run.valueNames().get(i));
            if (isIdentityAlways(column)) {
                checks.add("t." + q(column.name()) + " IS NOT DISTINCT FROM " + value(i));
            } else if (!(column.primaryKey() && keyUnchanged)) {
                sets.add(q(column.name()) + " = " + value(i));
            }
        }
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
