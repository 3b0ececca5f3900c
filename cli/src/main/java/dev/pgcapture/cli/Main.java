package dev.pgcapture.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code pgcapture} executable: one command, a subcommand per process or task.
 *
 * <p>Every option can also come from an environment variable or a config file; see
 * {@link ConfigDefaults}. Exit codes: 0 success, 1 failure, 2 bad usage (picocli's convention).
 */
@Command(
        name = "pgcapture",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        showDefaultValues = true,
        footer = {
            "",
            "Every option can also be set with an environment variable PGCAPTURE_<OPTION> (--pg-url is "
                + "PGCAPTURE_PG_URL) or in a --config file (pg-url = ...); the command line wins, then the "
                + "environment, then the file."
        },
        description = "Change data capture for PostgreSQL: binary pgoutput to Apache Pulsar, logical replicas, "
                + "dumps, and a gRPC gateway compatible with pgcapture.",
        subcommands = {
            VersionCommand.class,
            StandaloneCommand.class,
            InitCommand.class,
            CheckCommand.class,
            Pg2PulsarCommand.class,
            SeedCommand.class,
            Pulsar2PgCommand.class,
            ControllerCommand.class,
            GatewayCommand.class,
            ScheduleCommand.class,
            SchedulesCommand.class,
            TailCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = ConfigDefaults.CONFIG_OPTION, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Read option values from this properties file (also PGCAPTURE_CONFIG).")
    Path config;

    public static void main(String[] args) {
        // Before anything touches java.util.logging: its records go through log4j, in the chosen format.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        }
        int exitCode = execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        // Embedded services leave non-daemon threads behind: end the JVM explicitly.
        System.exit(exitCode);
    }

    /** Runs one command line with the given environment; returns the exit code. */
    static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        try {
            cli.setDefaultValueProvider(ConfigDefaults.load(cli, args, env));
        } catch (IllegalArgumentException e) {
            err.println("pgcapture: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        return cli.execute(args);
    }

    /** The command tree, without defaults from the environment. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setHelpFactory(MaskedHelp.FACTORY);
    }

    /** {@code pgcapture} with no subcommand: usage on stderr, exit code 2. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
