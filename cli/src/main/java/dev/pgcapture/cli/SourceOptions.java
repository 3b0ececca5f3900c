package dev.pgcapture.cli;

import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.core.PostgresUrl;
import java.sql.SQLException;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every command on the source database takes: where it is, and the slot and publication capture uses. */
final class SourceOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--pg-url", paramLabel = "URL",
            description = "The source database: postgres://user:password@host:port/db, postgresql://… or jdbc:postgresql://… (required).")
    String pgUrl;

    @Option(names = "--slot", paramLabel = "NAME", defaultValue = CaptureSettings.DEFAULT_NAME,
            description = "The logical replication slot.")
    String slot;

    @Option(names = "--publication", paramLabel = "NAME", defaultValue = CaptureSettings.DEFAULT_NAME,
            description = "The publication.")
    String publication;

    // picocli hides the default of a boolean option unless told to show it.
    @Option(names = "--binary", arity = "1", defaultValue = "true", paramLabel = "true|false", showDefaultValue = Help.Visibility.ALWAYS,
            description = "Binary column values; --binary=false captures text for the whole stream (slower) and accepts "
                    + "every column type. Give init, check and pg2pulsar the same value.")
    boolean binary;

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

    /** A usage error of the command these options belong to (exit code 2). */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The text of a database error without a stack trace, first line only. */
    static String message(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
