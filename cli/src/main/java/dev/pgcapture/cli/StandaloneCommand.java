package dev.pgcapture.cli;

import dev.pgcapture.core.PostgresUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import dev.pgcapture.agent.FatalAgentException;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture standalone}: the whole system in one JVM ({@link StandaloneSystem}), for a
 * first look and for development. Prints where everything is and the next commands to run, then
 * runs until Ctrl-C or SIGTERM, which stops every part cleanly (exit status 0; 1 when a part
 * failed).
 */
@Command(name = "standalone", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Run the whole system in one JVM: a local PostgreSQL, an in-process Pulsar broker, pg2pulsar on the "
                + "source, a seeded replica with pulsar2pg and its Agent service, the controller and the gateway. Without "
                + "--pg-url the source is a database of the local PostgreSQL. Stops cleanly on Ctrl-C or SIGTERM; the data "
                + "stays in --data-dir for the next start unless --ephemeral.")
final class StandaloneCommand implements Callable<Integer> {

    /** The gateway's default address; {@code tail} uses it when given no {@code --gateway}. */
    static final String DEFAULT_GATEWAY = "127.0.0.1:10001";
    /** The controller's default address; {@code schedule} and {@code schedules} use it when given no {@code --controller}. */
    static final String DEFAULT_CONTROLLER = "127.0.0.1:10000";
    static final String DEFAULT_AGENT = "127.0.0.1:10002";
    /** 128 + SIGINT: a second Ctrl-C ends the JVM without waiting for the parts to stop. */
    private static final int EXIT_INTERRUPTED = 130;
    private static final String DEMO_URI = "demo";
    private static final String PLAIN_URI = "standalone";

    @Spec
    CommandSpec spec;

    @Mixin
    ObservabilityOptions observability;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "pgcapture-data",
            description = "Where PostgreSQL and Pulsar keep their data; a later start on the same directory goes on where this one stopped.")
    Path dataDir;

    @Option(names = "--ephemeral", description = "Wipe --data-dir at start and remove it at stop.")
    boolean ephemeral;

    @Option(names = "--pg-url", paramLabel = "URL",
            description = "Capture this database instead of one in the local PostgreSQL: postgres://user:password@host:port/db "
                    + "(needs wal_level=logical; see pgcapture check). The replica and the controller's store stay local.")
    String pgUrl;

    @Option(names = "--init", description = "Run pgcapture init on the --pg-url database if it is not set up for capture "
            + "(the local source is always set up).")
    boolean init;

    @Option(names = "--demo", description = "Create a small shop schema (demo.customers, demo.orders) in the source and keep "
            + "writing to it; the URI is then \"" + DEMO_URI + "\".")
    boolean demo;

    @Option(names = "--demo-rate", paramLabel = "N", defaultValue = "5",
            description = "The demo workload's transactions per second.")
    double demoRate;

    @Option(names = "--uri", paramLabel = "URI",
            description = "The consumer URI the gateway serves (default: " + DEMO_URI + " with --demo, else " + PLAIN_URI + ").")
    String uri;

    @Option(names = "--gateway-listen", paramLabel = "HOST:PORT", defaultValue = DEFAULT_GATEWAY, description = "The gateway's address.")
    String gatewayListen;

    @Option(names = "--controller-listen", paramLabel = "HOST:PORT", defaultValue = DEFAULT_CONTROLLER, description = "The controller's address.")
    String controllerListen;

    @Option(names = "--agent-listen", paramLabel = "HOST:PORT", defaultValue = DEFAULT_AGENT,
            description = "The replica Agent service's address (dumps).")
    String agentListen;

    @Option(names = "--pulsar-port", paramLabel = "PORT", defaultValue = "6650", description = "The Pulsar broker's port, 0 for a free one.")
    int pulsarPort;

    @Option(names = "--pulsar-http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "The Pulsar broker's HTTP (admin) port, 0 for a free one.")
    int pulsarHttpPort;

    @Option(names = "--pg-port", paramLabel = "PORT", defaultValue = "0", description = "The local PostgreSQL's port, 0 for a free one.")
    int pgPort;

    @Override
    public Integer call() throws Exception {
        StandaloneSystem.Settings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Observability observed;
        try {
            observed = observability.start();
        } catch (IOException e) {
            return observability.failed("standalone", e);
        }
        try (observed) {
            return run(settings, observed, out, err);
        }
    }

    private int run(StandaloneSystem.Settings settings, Observability observed, PrintWriter out, PrintWriter err) throws Exception {
        StandaloneSystem system;
        try {
            system = StandaloneSystem.start(settings, observed.registry(), line -> {
                out.println(line);
                out.flush();
            });
        } catch (StandaloneSystem.StandaloneException | Pipeline.StartException e) {
            err.println("pgcapture standalone: " + e.getMessage());
            err.flush();
            return 1;
        }
        observed.ready(system.readiness());
        observed.logStart("standalone running: gateway " + settings.gateway() + " (URI " + settings.uri() + "), controller "
                + settings.controller() + ", replica agent " + settings.agent() + ", topic " + settings.topic() + ", source "
                + system.endpoints().source() + ", replica " + system.endpoints().replica());
        banner(out, settings, system.endpoints());
        // Ctrl-C and SIGTERM are taken before the JVM begins to shut down: the embedded broker's
        // bookie and PostgreSQL stop in shutdown hooks of their own, which would pull them from
        // under the agents. Here the agents stop first, then what they write to.
        AtomicInteger signals = new AtomicInteger();
        SignalHandler onSignal = signal -> {
            if (signals.incrementAndGet() == 1) {
                out.println("stopping (Ctrl-C again to exit at once)...");
                out.flush();
                system.stop();
            } else {
                System.exit(EXIT_INTERRUPTED);
            }
        };
        Signal.handle(new Signal("INT"), onSignal);
        Signal.handle(new Signal("TERM"), onSignal);
        try (system) {
            system.await();
            return 0;
        } catch (FatalAgentException | StandaloneSystem.StandaloneException e) {
            err.println("pgcapture standalone: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            out.println("pgcapture standalone stopped" + (settings.demoRate().isPresent()
                    ? " (the demo wrote " + system.demoTransactions() + " transactions)" : ""));
            out.flush();
        }
    }

    private StandaloneSystem.Settings settings() throws Exception {
        Optional<PostgresUrl> source = pgUrl == null || pgUrl.isBlank() ? Optional.empty()
                : Optional.of(OptionValues.parse(spec, "--pg-url: ", () -> PostgresUrl.parse(pgUrl)));
        if (init && source.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--init needs --pg-url: the local source is always set up");
        }
        for (int port : new int[] {pulsarPort, pulsarHttpPort, pgPort}) {
            if (port < 0 || port > 65535) {
                throw new ParameterException(spec.commandLine(), "port " + port + " is outside 0..65535");
            }
        }
        if (demo && !(demoRate > 0)) {
            throw new ParameterException(spec.commandLine(), "--demo-rate must be above 0 transactions per second, was " + demoRate);
        }
        String consumerUri = uri != null && !uri.isBlank() ? uri : demo ? DEMO_URI : PLAIN_URI;
        return OptionValues.parse(spec, "", () -> new StandaloneSystem.Settings(dataDir, ephemeral, source, init, consumerUri,
                HostPort.parse("--gateway-listen", gatewayListen, "127.0.0.1"),
                HostPort.parse("--controller-listen", controllerListen, "127.0.0.1"),
                HostPort.parse("--agent-listen", agentListen, "127.0.0.1"),
                pulsarPort, pulsarHttpPort, pgPort, demo ? Optional.of(demoRate) : Optional.empty()));
    }

    /** Where everything is, and the commands to run next, with the options they need here. */
    private static void banner(PrintWriter out, StandaloneSystem.Settings settings, StandaloneSystem.Endpoints e) {
        String launcher = System.getProperty("pgcapture.launcher", "pgcapture");
        String gatewayOption = e.gateway().toString().equals(DEFAULT_GATEWAY) ? "" : " --gateway " + e.gateway();
        String controllerOption = e.controller().toString().equals(DEFAULT_CONTROLLER) ? "" : " --controller " + e.controller();
        String table = settings.demoRate().isPresent() ? DemoWorkload.ORDERS : "SCHEMA.TABLE";
        out.println();
        out.println("pgcapture standalone is running. Ctrl-C stops it.");
        out.println("  gateway     " + e.gateway() + "   consumer URI \"" + settings.uri() + "\"");
        out.println("  controller  " + e.controller());
        out.println("  agent       " + e.agent() + "   (dumps of the replica)");
        out.println("  source      " + e.source());
        out.println("  replica     " + e.replica());
        out.println("  pulsar      " + e.pulsarUrl() + "   admin " + e.pulsarHttpUrl() + "   topic " + e.topic());
        out.println("  data        " + (settings.ephemeral() ? e.dataDir() + " (removed at stop)" : e.dataDir()));
        out.println();
        out.println("Next, in another terminal:");
        out.println("  " + launcher + " tail --uri " + settings.uri() + gatewayOption + "              # every change as a JSON line");
        out.println("  " + launcher + " schedule --uri " + settings.uri() + " --table " + table + controllerOption
                + "   # dump a table into the stream");
        out.println("  " + launcher + " schedules" + controllerOption + "                     # the dumps and their progress");
        out.println();
        out.flush();
    }
}
