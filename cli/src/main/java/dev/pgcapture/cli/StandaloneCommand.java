package dev.pgcapture.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture standalone}: the whole system in one JVM. Its parts are not built yet, so
 * for now it says which ones are missing and fails, rather than pretend to run.
 */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = "Run the whole system in one JVM: PostgreSQL, Pulsar, capture, a replica, the controller "
                + "and the gateway. Not built yet: it says what is missing and exits with 1.")
final class StandaloneCommand implements Callable<Integer> {

    static final int NOT_BUILT = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("pgcapture standalone is not built yet. It needs these parts, which are not built yet:");
        err.println("  - the dump controller and the gateway");
        err.println("  - the consumer SDK and `pgcapture tail`");
        err.println("What works today, each as its own command: `init` and `check`, `pg2pulsar` (capture to Pulsar),");
        err.println("`seed` and `pulsar2pg` (logical replicas, with the Agent dump service); see `pgcapture --help`.");
        err.flush();
        return NOT_BUILT;
    }
}
