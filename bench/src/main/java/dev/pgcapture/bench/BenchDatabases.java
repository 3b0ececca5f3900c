package dev.pgcapture.bench;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.embedded.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The databases of the embedded PostgreSQL the scenarios run against, as superuser. */
record BenchDatabases(LocalPostgres postgres) {

    PostgresUrl url(String database) {
        return PostgresUrl.parse("postgresql://" + LocalPostgres.SUPERUSER + "@" + postgres.host() + ":" + postgres.port() + "/" + database);
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/" + database,
                LocalPostgres.SUPERUSER, "");
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static Lsn currentInsertLsn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            r.next();
            return Lsn.parse(r.getString(1));
        }
    }

    static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }
}
