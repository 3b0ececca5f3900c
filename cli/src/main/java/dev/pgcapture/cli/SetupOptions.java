package dev.pgcapture.cli;

import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options {@code init} and {@code check} share: where the database is, and what capture uses in it. */
final class SetupOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--pg-url", paramLabel = "URL",
            description = "The source database: postgres://user:password@host:port/db, postgresql://… or jdbc:postgresql://… (required).")
    String pgUrl;

    @Option(names = "--slot", paramLabel = "NAME", defaultValue = CaptureSetup.Settings.DEFAULT_SLOT,
            description = "The logical replication slot.")
    String slot;

    @Option(names = "--publication", paramLabel = "NAME", defaultValue = CaptureSetup.Settings.DEFAULT_PUBLICATION,
            description = "The publication.")
    String publication;

    @Option(names = "--tables", paramLabel = "SCHEMA.TABLE[,…]",
            description = "Publish only these tables (pgcapture.ddl_logs is always published); default: all tables.")
    String tables;

    /** The settings these options (and the given flags) describe; a bad value is a usage error naming it. */
    CaptureSetup.Settings settings(boolean replicaIdentityFull, boolean binary) {
        List<TableName> tableList;
        try {
            tableList = tables == null || tables.isBlank() ? List.of() : TableName.parseList(tables);
        } catch (IllegalArgumentException e) {
            throw usage("--tables: " + e.getMessage());
        }
        try {
            return new CaptureSetup.Settings(slot, publication, tableList, replicaIdentityFull, binary);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The parsed --pg-url; missing or malformed is a usage error. */
    PostgresUrl url() {
        if (pgUrl == null || pgUrl.isBlank()) {
            throw usage("Missing required option: '--pg-url=URL' (or PGCAPTURE_PG_URL)");
        }
        try {
            return PostgresUrl.parse(pgUrl);
        } catch (IllegalArgumentException e) {
            throw usage("--pg-url: " + e.getMessage());
        }
    }

    /** An ordinary connection to {@code url}; the caller closes it. */
    static Connection connect(PostgresUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.properties());
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The text of a database error without a stack trace, first line only. */
    static String message(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

}
