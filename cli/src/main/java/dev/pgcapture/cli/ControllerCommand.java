package dev.pgcapture.cli;

import dev.pgcapture.controller.AgentLookup;
import dev.pgcapture.controller.ControllerService;
import dev.pgcapture.controller.ControllerSettings;
import dev.pgcapture.controller.StoreException;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.ClientSecurity;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.core.grpc.ServerSecurity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture controller}: the dump controller. Serves {@code DBLogController} until
 * SIGTERM or Ctrl-C, with its schedules in a PostgreSQL database so that a restart (after a kill
 * too) resumes them; exit code 1 when the store cannot be opened or the address is taken.
 */
@Command(name = "controller", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Run the dump controller: the DBLogController gRPC service that holds dump schedules and hands their "
                + "chunks to gateways one at a time. Schedules live in a PostgreSQL database and survive restarts: chunks that "
                + "were out are handed out again, acknowledged ones never. Stops on SIGTERM or Ctrl-C.",
            "Security: --tls-cert, --tls-key, --tls-client-ca, --tls-client-auth and --auth-token-file protect the controller's "
                + "own service; --tls, --tls-ca, --client-cert, --client-key and --token-file are how it connects to the agents."})
final class ControllerCommand implements Callable<Integer> {

    private static final Duration SHUTDOWN = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    ObservabilityOptions observability;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Serve DBLogController on this address, e.g. 0.0.0.0:10000 (required).")
    String listen;

    @Option(names = "--store-url", paramLabel = "URL",
            description = "The PostgreSQL database holding the schedules (schema pgcapture_controller, created if missing; one "
                    + "controller per database): postgres://user:password@host:port/db, postgresql://… or jdbc:postgresql://… (required).")
    String storeUrl;

    @Option(names = "--resolver-config", paramLabel = "FILE",
            description = "The gateway's resolver config (JSON). Its AgentURLs let the controller check that scheduled tables "
                    + "exist and plan chunks from table sizes (pgcapture schedule). Default: none, so Schedule is accepted "
                    + "unchecked and ScheduleTables is refused.")
    Path resolverConfig;

    @Mixin
    ServerSecurityOptions serverSecurity;

    @Mixin
    ClientSecurityOptions clientSecurity;

    @Override
    public Integer call() throws Exception {
        HostPort address = OptionValues.parse(spec, "", () -> HostPort.parse("--listen", OptionValues.required(spec, listen, "--listen=HOST:PORT", "PGCAPTURE_LISTEN"), "0.0.0.0"));
        PostgresUrl store = OptionValues.parse(spec, "--store-url: ", () -> PostgresUrl.parse(OptionValues.required(spec, storeUrl, "--store-url=URL", "PGCAPTURE_STORE_URL")));
        ServerSecurity protection = serverSecurity.security();
        ClientSecurity calling = clientSecurity.security();
        PrintWriter err = spec.commandLine().getErr();
        Observability observed;
        try {
            observed = observability.start();
        } catch (IOException e) {
            return observability.failed("controller", e);
        }
        try (observed) {
            AgentLookup agents = resolverConfig == null ? AgentLookup.none()
                    : AgentLookup.of(OptionValues.parse(spec, "--resolver-config: ", () -> ResolverConfig.read(resolverConfig)), resolverConfig.toString(),
                            calling);
            return serve(address, store, agents, protection, calling, observed, err);
        }
    }

    private int serve(HostPort address, PostgresUrl store, AgentLookup agents, ServerSecurity protection, ClientSecurity calling,
            Observability observed, PrintWriter err) throws Exception {
        ControllerService service;
        try {
            service = ControllerService.open(store, agents, Clock.systemUTC(), ControllerSettings.defaults(), observed.registry());
        } catch (StoreException e) {
            agents.close();
            err.println("controller failed: " + e.getMessage());
            err.flush();
            return 1;
        }
        GrpcServer server = GrpcServer.on(address.bindAddress(), protection, service);
        try {
            server.start();
        } catch (IOException e) {
            service.close();
            err.println("controller failed: cannot listen on " + address + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        AtomicBoolean serving = new AtomicBoolean(true);
        observed.ready(() -> serving.get() ? service.whyNotReady() : Optional.of("gRPC server shutting down"));
        observed.logStart("controller listening on " + address.host() + ":" + server.port() + " (" + protection + "), schedules stored in "
                + store + (resolverConfig == null ? " (no resolver config: tables are not checked)"
                        : ", agents from " + resolverConfig + " (" + calling + ")"));
        CountDownLatch stop = new CountDownLatch(1);
        return Foreground.run("controller", () -> {
            stop.await();
            serving.set(false);
            server.shutdown(SHUTDOWN); // closes the service and its store
        }, stop::countDown, err);
    }



}
