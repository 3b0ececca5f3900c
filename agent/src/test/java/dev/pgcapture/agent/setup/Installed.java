package dev.pgcapture.agent.setup;

import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A test database with settings whose slot name no other test uses; closing it drops what init
 * made, so no slot outlives its test on the shared server (slots are server-wide).
 */
final class Installed implements AutoCloseable {

    final TestDatabase db;
    final CaptureSetup.Settings settings;
    final CaptureSetup setup;

    Installed(TestDatabase db, CaptureSetup.Settings settings) {
        this.db = db;
        this.settings = settings;
        this.setup = new CaptureSetup(settings);
    }

    static Installed on(TestDatabase db) {
        return new Installed(db, CaptureSetup.Settings.defaults().withSlot(db.uniqueName("slot")));
    }

    Installed with(CaptureSetup.Settings changed) {
        return new Installed(db, changed);
    }

    SetupReport init() throws SQLException {
        try (Connection c = db.connect()) {
            return setup.init(c);
        }
    }

    SetupReport drop() throws SQLException {
        try (Connection c = db.connect()) {
            return setup.drop(c);
        }
    }

    /** Every row of {@code query}, columns joined with {@code |}. */
    List<String> rows(String query) throws SQLException {
        return rows(db, query);
    }

    static List<String> rows(TestDatabase db, String query) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }

    @Override
    public void close() throws SQLException {
        drop();
    }
}
