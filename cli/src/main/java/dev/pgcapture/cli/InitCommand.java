package dev.pgcapture.cli;

import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.agent.setup.SetupRefusedException;
import dev.pgcapture.agent.setup.SetupReport;
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
 * {@code pgcapture init}: prepares the source database for capture, or with {@code --drop}
 * removes what it made. Idempotent; prints one line per change, and on refusal every problem with
 * its ways out (exit code 1, nothing changed).
 */
@Command(name = "init", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Prepare the source database for capture: schema pgcapture with table ddl_logs and the DDL event "
                + "triggers, the publication and the pgoutput slot. Creates only what is missing; refuses, changing "
                + "nothing, when publishing would break UPDATE/DELETE on tables without a key or binary capture would "
                + "stop on a column. With --drop, removes all of it.")
final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SetupOptions options;

    @Option(names = "--replica-identity-full",
            description = "Set REPLICA IDENTITY FULL on published tables without a primary key, instead of refusing.")
    boolean replicaIdentityFull;


    @Option(names = "--drop", description = "Remove everything init creates (event triggers, functions, ddl_logs, schema, "
            + "publication, slot) instead.")
    boolean drop;

    @Override
    public Integer call() {
        CaptureSetup.Settings settings = options.settings(replicaIdentityFull);
        PostgresUrl url = options.url();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String what = drop ? "pgcapture init --drop" : "pgcapture init";
        try (Connection c = url.connect()) {
            CaptureSetup setup = new CaptureSetup(settings);
            SetupReport report = drop ? setup.drop(c) : setup.init(c);
            report.actions().forEach(out::println);
            out.println(report.nothingDone()
                    ? (drop ? "nothing to remove: " + url + " has no pgcapture objects" : "nothing to do: " + url + " is already set up")
                    : (drop ? "removed " : "done: ") + report.actions().size() + " change(s) on " + url);
            out.flush();
            return 0;
        } catch (SetupRefusedException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        } catch (SQLException e) {
            err.println(what + " failed on " + url + ": " + SourceOptions.message(e));
            err.flush();
            return 1;
        }
    }
}
