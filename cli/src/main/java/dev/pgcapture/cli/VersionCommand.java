package dev.pgcapture.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pgcapture version}: the same as {@code pgcapture --version}. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print the version of pgcapture, its protocol and the Java runtime.")
final class VersionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : new Version().getVersion()) {
            out.println(line);
        }
        out.flush();
    }
}
