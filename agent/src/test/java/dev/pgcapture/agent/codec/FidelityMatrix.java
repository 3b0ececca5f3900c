package dev.pgcapture.agent.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.codec.FidelityCases.TypeCase;
import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.core.codec.PgUndecoded;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of the type fidelity matrix: every captured value, decoded and rendered by the codecs,
 * compared with PostgreSQL's text of the same row: it must equal the output function's text
 * ({@code format('%s', col)}), and {@code col::text} must be that text, or for the types with a
 * cast of their own its documented transformation ({@link TextCast}). Counts the types that
 * passed and fails on any mismatch.
 */
final class FidelityMatrix {

    /** The session settings the codecs' text form assumes. */
    static final String SESSION = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET IntervalStyle = 'postgres';"
            + " SET extra_float_digits = 1; SET lc_monetary = 'C'";

    /** SQL NULL on both sides; no value's text looks like it. */
    private static final String NULL = "<SQL NULL>";

    /** PostgreSQL's texts of one value: its output function's, and its cast to text; both {@link #NULL} for SQL NULL. */
    private record PostgresText(String output, String cast) {
    }

    private final String stream;
    private final Map<String, TypeCase> tables;
    /** table -> row id -> column -> PostgreSQL's text. */
    private final Map<String, Map<Integer, Map<String, PostgresText>>> expected;
    private final Set<String> checkedRows = new LinkedHashSet<>();
    private final List<String> mismatches = new ArrayList<>();
    private final Map<String, Integer> failedValues = new LinkedHashMap<>();
    private int compared;

    private FidelityMatrix(String stream, Map<String, TypeCase> tables, Map<String, Map<Integer, Map<String, PostgresText>>> expected) {
        this.stream = stream;
        this.tables = tables;
        this.expected = expected;
    }

    /** Reads PostgreSQL's text of every row of {@code tables} (table name to its type) on {@code c}, with {@link #SESSION}. */
    static FidelityMatrix read(String stream, Map<String, TypeCase> tables, Connection c) throws SQLException {
        Map<String, Map<Integer, Map<String, PostgresText>>> expected = new HashMap<>();
        try (Statement s = c.createStatement()) {
            s.execute(SESSION);
            for (Map.Entry<String, TypeCase> table : tables.entrySet()) {
                List<String> columns = table.getValue().columns();
                StringBuilder sql = new StringBuilder("SELECT id");
                for (String column : columns) {
                    // num_nulls, not IS NULL: a composite whose attributes are all NULL IS NULL, but is a value.
                    sql.append(", CASE WHEN num_nulls(").append(column).append(") = 0 THEN format('%s', ").append(column).append(") END")
                            .append(", CASE WHEN num_nulls(").append(column).append(") = 0 THEN ").append(column).append("::text END");
                }
                Map<Integer, Map<String, PostgresText>> rows = new HashMap<>();
                try (ResultSet r = s.executeQuery(sql.append(" FROM ").append(table.getKey()).toString())) {
                    while (r.next()) {
                        Map<String, PostgresText> values = new HashMap<>();
                        for (int i = 0; i < columns.size(); i++) {
                            values.put(columns.get(i), new PostgresText(orNull(r.getString(2 + 2 * i)), orNull(r.getString(3 + 2 * i))));
                        }
                        rows.put(r.getInt(1), values);
                    }
                }
                expected.put(table.getKey(), rows);
            }
        }
        return new FidelityMatrix(stream, tables, expected);
    }

    /**
     * Compares a captured row with PostgreSQL's; {@code binary} says whether the stream is in
     * binary mode, where only the types without a send function may arrive in text form.
     */
    void check(Change change, PgCodecs codecs, boolean binary) {
        String table = change.getTable();
        TypeCase typeCase = tables.get(table);
        Field idField = field(change, "id");
        int id = idField.getValueCase() == Field.ValueCase.TEXT ? Integer.parseInt(idField.getText()) : (Integer) codecs.decode(idField);
        assertTrue(checkedRows.add(table + "/" + id), () -> "row " + id + " of " + table + " arrived twice");
        boolean text = !binary || !typeCase.binarySend();
        for (String column : typeCase.columns()) {
            boolean array = column.equals("a");
            String type = typeCase.type() + (array ? "[]" : "");
            TextCast cast = array ? TextCast.OUTPUT : typeCase.cast();
            PostgresText want = expected.get(table).get(id).get(column);
            String got = render(codecs, field(change, column), text);
            compared++;
            boolean same = got.equals(want.output())
                    && (want.output().equals(NULL) ? want.cast().equals(NULL) : cast.holds(want.output(), want.cast()));
            if (!same) {
                mismatches.add(table + "." + column + " (" + type + ") row " + id + ": codec <" + got + ">, output function <"
                        + want.output() + ">, ::text <" + want.cast() + "> (cast rule " + cast + ")");
                failedValues.merge(typeCase.type(), 1, Integer::sum);
            }
        }
    }

    /** Prints the coverage, then fails unless every row arrived and every value matched. */
    void assertEveryTypePassed() {
        int rows = expected.values().stream().mapToInt(Map::size).sum();
        int tried = tables.size();
        int passed = tried - failedValues.size();
        System.out.printf("type fidelity (%s): %d/%d types passed (%d rows, %d column values compared with the output function and"
                + " with ::text, %d mismatched)%n", stream, passed, tried, rows, compared, mismatches.size());
        assertEquals(rows, checkedRows.size(), "rows captured and compared");
        assertTrue(mismatches.isEmpty(), "type fidelity (" + stream + "): " + passed + "/" + tried + " types passed; failed types "
                + failedValues.keySet() + ":\n" + String.join("\n", mismatches));
    }

    /**
     * Our text of a column value, {@link #NULL} for SQL NULL; a value in the wrong form, decoded to
     * the wrong kind of value, or failing to decode, yields a text that says so.
     */
    private static String render(PgCodecs codecs, Field field, boolean text) {
        if (field.getValueCase() == Field.ValueCase.VALUE_NOT_SET) {
            return NULL;
        }
        Field.ValueCase form = text ? Field.ValueCase.TEXT : Field.ValueCase.BINARY;
        if (field.getValueCase() != form) {
            return "arrived in " + field.getValueCase() + " form, not " + form + ": " + field;
        }
        try {
            Object value = codecs.decode(field);
            if (text != value instanceof PgUndecoded.Text) {
                return "decoded to " + value;
            }
            if (value instanceof PgUndecoded.Binary) {
                return "not decoded: " + value;
            }
            return codecs.toText(field.getOid(), value);
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private static String orNull(String text) {
        return text == null ? NULL : text;
    }

    private static Field field(Change change, String name) {
        return change.getNewList().stream().filter(f -> f.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no column " + name + " in a change of " + change.getTable()));
    }
}
