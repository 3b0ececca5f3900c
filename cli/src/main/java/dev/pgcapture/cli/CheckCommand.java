package dev.pgcapture.cli;

import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.agent.setup.Preflight;
import dev.pgcapture.agent.setup.PreflightReport;
import dev.pgcapture.core.PostgresUrl;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture check}: the preflight. Prints one line per check, with the fix on failing
 * ones; exit code 1 iff a check failed (not yet initialized is no failure). Changes nothing.
 */
@Command(name = "check", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Check that the server, the role and the database are ready for capture (before init) and "
                + "healthy (after it): version, wal_level, free slots and WAL senders, privileges (tried and rolled "
                + "back), publication, slot health, tables without a replica identity, columns binary mode cannot send.")
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SetupOptions options;

    @Override
    public Integer call() {
        CaptureSetup.Settings settings = options.settings(false);
        PostgresUrl url = options.url();
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = url.connect()) {
            PreflightReport report = new Preflight(settings).run(c);
            report.lines().forEach(out::println);
            int failures = report.lines(PreflightReport.Status.FAIL).size();
            out.println(report.failed() ? "check failed: " + failures + " problem(s) on " + url : "check passed on " + url);
            out.flush();
            return report.failed() ? 1 : 0;
        } catch (SQLException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("pgcapture check failed on " + url + ": " + SourceOptions.message(e));
            err.flush();
            return 1;
        }
    }
}
