package dev.pgcapture.agent.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.capture.ReplicationSource;
import dev.pgcapture.agent.codec.FidelityCases.TypeCase;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The type fidelity matrix: values of every supported type, edge cases included, go through
 * real binary pgoutput ({@link ReplicationSource}); each value decoded by {@link PgCodecs} and
 * rendered as text must equal what PostgreSQL prints for the same row.
 *
 * <p>PostgreSQL's side is {@code format('%s', col)}, the type's output function, with
 * {@code TimeZone=UTC}, {@code DateStyle=ISO}, {@code IntervalStyle=postgres},
 * {@code extra_float_digits=1} and {@code lc_monetary=C}. That is what {@code col::text} prints
 * too, except for the three types whose cast to text is not their output function: {@code bool}
 * ({@code true} rather than {@code t}), {@code inet} (always with the prefix) and
 * {@code bpchar} (trailing blanks trimmed). Arrays, composites and ranges embed the output
 * function's form, so that is the form the codecs render.
 *
 * <p>Each type gets a table with a scalar column {@code v} (one row per value, and a NULL) and an
 * array column {@code a} (every value plus a NULL, an empty array, a two-dimensional array with
 * NULLs, and one with lower bounds 0). User types are decoded with descriptions read from the
 * source's catalog, as the DescribeTypes RPC gives them.
 */
@ExtendWith(PostgresExtension.class)
class TypeFidelityIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** SQL NULL on both sides; no value's text looks like it. */
    private static final String NULL = "<SQL NULL>";
    static final String SESSION = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET IntervalStyle = 'postgres';"
            + " SET extra_float_digits = 1; SET lc_monetary = 'C'";

    /** One column value that did not survive the trip. */
    private record Mismatch(String table, String column, String type, int id, String expected, String got) {
        @Override
        public String toString() {
            return table + "." + column + " (" + type + ") row " + id + ": expected <" + expected + "> got <" + got + ">";
        }
    }

    @Test
    void binaryPgoutput_everyTypeDecodedAndPrinted_equalsPostgresText(TestDatabase db) throws Exception {
        List<TypeCase> cases = FidelityCases.all();
        db.execute(FidelityCases.USER_TYPES);
        Map<String, TypeCase> tables = new LinkedHashMap<>();
        for (TypeCase typeCase : cases) {
            String table = "fidelity_" + (tables.size() + 1);
            tables.put(table, typeCase);
            db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v " + typeCase.type() + ", a " + typeCase.type() + "[])");
        }
        String publication = db.createPublicationForAllTables();
        String slot = db.createPgoutputSlot();
        try {
            int rows = 0;
            for (Map.Entry<String, TypeCase> table : tables.entrySet()) {
                rows += insertRows(db, table.getKey(), table.getValue());
            }
            List<Change> changes = capture(db, slot, publication, rows);
            PgCodecs codecs;
            Map<String, Map<Integer, Map<String, String>>> expected = new HashMap<>();
            try (Connection c = db.connect()) {
                codecs = PgCodecs.builtIn().with(SourceTypes.describe(c, userTypeOids(changes)));
                try (Statement s = c.createStatement()) {
                    s.execute(SESSION);
                }
                for (String table : tables.keySet()) {
                    expected.put(table, postgresText(c, table));
                }
            }
            compare(tables, changes, codecs, expected);
        } finally {
            db.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    /** Inserts the rows of one type's table and returns how many. */
    private static int insertRows(TestDatabase db, String table, TypeCase typeCase) throws SQLException {
        String type = typeCase.type();
        List<String> values = typeCase.values().stream().map(v -> "(" + v + ")::" + type).toList();
        List<String> rows = new ArrayList<>();
        for (String value : values) {
            rows.add("(" + (rows.size() + 1) + ", " + value + ", ARRAY[" + value + "]::" + type + "[])");
        }
        String first = values.getFirst();
        String last = values.getLast();
        rows.add("(" + (rows.size() + 1) + ", NULL, ARRAY[" + String.join(", ", values) + ", NULL]::" + type + "[])");
        rows.add("(" + (rows.size() + 1) + ", NULL, '{}'::" + type + "[])");
        rows.add("(" + (rows.size() + 1) + ", NULL, ARRAY[ARRAY[" + first + ", NULL], ARRAY[NULL, " + last + "]]::" + type + "[])");
        rows.add("(" + (rows.size() + 1) + ", NULL, ('[0:1]=' || (ARRAY[" + first + ", " + last + "]::" + type + "[])::text)::"
                + type + "[])");
        rows.add("(" + (rows.size() + 1) + ", NULL, NULL)");
        db.execute("INSERT INTO " + table + " VALUES " + String.join(",\n", rows));
        return rows.size();
    }

    /** Reads the slot through the agent's capture path until {@code rows} inserts arrived. */
    private static List<Change> capture(TestDatabase db, String slot, String publication, int rows) throws Exception {
        List<Change> changes = new ArrayList<>();
        CaptureSettings settings = CaptureSettings.defaults().withSlot(slot).withPublication(publication);
        try (ReplicationSource source = new ReplicationSource(PostgresUrl.parse(db.jdbcUrl()), settings)) {
            source.capture(Checkpoint.ZERO);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (changes.size() < rows) {
                SourceMessage message = source.next(Duration.ofMillis(200));
                if (message != null && message.message().hasChange()) {
                    changes.add(message.message().getChange());
                }
                assertTrue(System.nanoTime() < deadline, "only " + changes.size() + " of " + rows + " rows arrived within " + WAIT);
            }
        }
        return changes;
    }

    private static Set<Long> userTypeOids(List<Change> changes) {
        Set<Long> oids = new TreeSet<>();
        for (Change change : changes) {
            for (Field field : change.getNewList()) {
                if (Integer.toUnsignedLong(field.getOid()) >= SourceTypes.FIRST_USER_OID) {
                    oids.add(Integer.toUnsignedLong(field.getOid()));
                }
            }
        }
        return oids;
    }

    /** PostgreSQL's text of each value: row id -> column -> text, {@link #NULL} for SQL NULL. */
    private static Map<Integer, Map<String, String>> postgresText(Connection c, String table) throws SQLException {
        Map<Integer, Map<String, String>> rows = new HashMap<>();
        try (Statement s = c.createStatement();
             // num_nulls, not IS NULL: a composite whose attributes are all NULL IS NULL, but is a value.
             ResultSet r = s.executeQuery("SELECT id, CASE WHEN num_nulls(v) = 1 THEN NULL ELSE format('%s', v) END,"
                     + " CASE WHEN num_nulls(a) = 1 THEN NULL ELSE format('%s', a) END FROM " + table)) {
            while (r.next()) {
                Map<String, String> columns = new HashMap<>();
                columns.put("v", r.getString(2) == null ? NULL : r.getString(2));
                columns.put("a", r.getString(3) == null ? NULL : r.getString(3));
                rows.put(r.getInt(1), columns);
            }
        }
        return rows;
    }

    private static void compare(Map<String, TypeCase> tables, List<Change> changes, PgCodecs codecs,
            Map<String, Map<Integer, Map<String, String>>> expected) {
        List<Mismatch> mismatches = new ArrayList<>();
        Map<String, Integer> failedValues = new LinkedHashMap<>();
        int compared = 0;
        for (Change change : changes) {
            String table = change.getTable();
            TypeCase typeCase = tables.get(table);
            int id = (Integer) codecs.decode(field(change, "id"));
            for (String column : List.of("v", "a")) {
                Field field = field(change, column);
                String type = typeCase.type() + ("a".equals(column) ? "[]" : "");
                String want = expected.get(table).get(id).getOrDefault(column, NULL);
                String got = render(codecs, field);
                compared++;
                if (!want.equals(got)) {
                    mismatches.add(new Mismatch(table, column, type, id, want, got));
                    failedValues.merge(typeCase.type(), 1, Integer::sum);
                }
            }
        }
        int tried = tables.size();
        int passed = tried - failedValues.size();
        System.out.printf("type fidelity: %d/%d types passed (%d column values compared, %d mismatched)%n", passed, tried, compared,
                mismatches.size());
        assertTrue(mismatches.isEmpty(), "type fidelity: " + passed + "/" + tried + " types passed; failed types " + failedValues.keySet()
                + ":\n" + String.join("\n", mismatches.stream().map(Mismatch::toString).toList()));
    }

    /** Our text of a column value, {@link #NULL} for SQL NULL, and a failure for anything not decoded from binary. */
    private static String render(PgCodecs codecs, Field field) {
        return switch (field.getValueCase()) {
            case VALUE_NOT_SET -> NULL;
            case TEXT -> "arrived in text form, not binary: " + field.getText();
            case BINARY -> {
                try {
                    Object value = codecs.decode(field);
                    yield codecs.toText(field.getOid(), value);
                } catch (RuntimeException e) {
                    yield e.toString();
                }
            }
        };
    }

    private static Field field(Change change, String name) {
        return change.getNewList().stream().filter(f -> f.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no column " + name + " in a change of " + change.getTable()));
    }
}
