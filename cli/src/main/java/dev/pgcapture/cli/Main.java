package dev.pgcapture.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code pgcapture} executable: one command, a subcommand per process or task.
 *
 * <p>Exit codes: 0 success, 1 failure, 2 bad usage (picocli's convention).
 */
@Command(
        name = "pgcapture",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Change data capture for PostgreSQL: binary pgoutput to Apache Pulsar, logical replicas, "
                + "dumps, and a gRPC gateway compatible with pgcapture.",
        subcommands = {
            VersionCommand.class,
            StandaloneCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // Embedded services leave non-daemon threads behind: end the JVM explicitly.
        System.exit(commandLine().execute(args));
    }

    /** The command tree, ready to execute; tests use it without exiting the JVM. */
    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /** {@code pgcapture} with no subcommand: usage on stderr, exit code 2. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
