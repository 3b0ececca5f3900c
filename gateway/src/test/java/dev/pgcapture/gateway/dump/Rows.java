package dev.pgcapture.gateway.dump;

import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reading the rows of dumps in tests: binary column values, whole chunks, counts on the replica. */
final class Rows {

    private Rows() {
    }

    static Field field(Change change, String name) {
        return change.getNewList().stream().filter(f -> f.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " in " + change));
    }

    static int int4(Change change, String name) {
        return field(change, name).getBinary().asReadOnlyByteBuffer().getInt();
    }

    static long int8(Change change, String name) {
        return field(change, name).getBinary().asReadOnlyByteBuffer().getLong();
    }

    /** Every remaining row of {@code dump}, up to its end. */
    static List<Change> drain(SourceDumper.Dump dump) throws Exception {
        List<Change> rows = new ArrayList<>();
        Change row;
        while ((row = dump.next()) != null) {
            rows.add(row);
        }
        return rows;
    }

    static long count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
