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
        err.println("  - capture: pg2pulsar (binary pgoutput to Pulsar) and `pgcapture init`");
        err.println("  - logical replicas: `pgcapture seed` and pulsar2pg with its dump service");
        err.println("  - the dump controller and the gateway");
        err.println("What works today: `pgcapture version`, and the test suite (`hack/mvn verify`), which starts");
        err.println("a real PostgreSQL and an in-process Pulsar broker.");
        err.flush();
        return NOT_BUILT;
    }
}
