package dev.pgcapture.cli;

import dev.pgcapture.core.SourceResolver;
import dev.pgcapture.core.grpc.ClientSecurity;
import dev.pgcapture.core.grpc.GrpcChannels;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.core.grpc.ServerSecurity;
import dev.pgcapture.gateway.GatewayService;
import dev.pgcapture.gateway.GatewaySettings;
import dev.pgcapture.gateway.dump.AgentDumper;
import dev.pgcapture.gateway.pulsar.PulsarSourceSettings;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.resolve.Resolvers;
import dev.pgcapture.gateway.resolve.SourceResolverProvider;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
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
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture gateway}: serves {@code DBLogGateway} until SIGTERM or Ctrl-C. Each consumer
 * URI is resolved by the configured resolver to a Pulsar subscription and a replica agent; dump
 * chunks come from the controller, if one is given.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Run the gateway: the DBLogGateway gRPC service. Each consumer's Capture stream gets its URI's changes "
                + "from a Pulsar subscription and, with a controller, its dumps from the URI's replica agent, merged into one "
                + "stream. Stops on SIGTERM or Ctrl-C.",
            "Security: --tls-cert, --tls-key, --tls-client-ca, --tls-client-auth and --auth-token-file protect the gateway's own "
                + "service (its consumers connect to it); --tls, --tls-ca, --client-cert, --client-key and --token-file are how "
                + "the gateway connects to the controller and the agents."})
final class GatewayCommand implements Callable<Integer> {

    private static final Duration SHUTDOWN = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    ObservabilityOptions observability;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Serve DBLogGateway on this address, e.g. 0.0.0.0:10000 (required).")
    String listen;

    @Option(names = "--controller", paramLabel = "HOST:PORT",
            description = "The dump controller (pgcapture controller). Default: none, so consumers get changes but no dumps.")
    String controller;

    @Option(names = "--resolver-config", paramLabel = "FILE",
            description = "The resolver's configuration. For the static resolver: JSON keyed by consumer URI with PulsarURL, "
                    + "PulsarTopic, PulsarSubscription and optionally AgentURL (required by the static resolver).")
    Path resolverConfig;

    @Mixin
    ServerSecurityOptions serverSecurity;

    @Mixin
    ClientSecurityOptions clientSecurity;

    @Option(names = "--resolver", paramLabel = "NAME", defaultValue = Resolvers.STATIC,
            description = "Which resolver maps URIs to sources: a SourceResolverProvider found on the class path.")
    String resolver;

    @Override
    public Integer call() throws Exception {
        HostPort address = OptionValues.parse(spec, "", () -> HostPort.parse("--listen", OptionValues.required(spec, listen, "--listen=HOST:PORT", "PGCAPTURE_LISTEN"), "0.0.0.0"));
        Optional<HostPort> controllerAddress = controller == null || controller.isBlank() ? Optional.empty()
                : Optional.of(OptionValues.parse(spec, "", () -> HostPort.parse("--controller", controller, "127.0.0.1")));
        if (Resolvers.STATIC.equals(resolver)) {
            OptionValues.required(spec, resolverConfig == null ? null : resolverConfig.toString(), "--resolver-config=FILE", "PGCAPTURE_RESOLVER_CONFIG");
        }
        ServerSecurity protection = serverSecurity.security();
        ClientSecurity calling = clientSecurity.security();
        PrintWriter err = spec.commandLine().getErr();
        Observability observed;
        try {
            observed = observability.start();
        } catch (IOException e) {
            return observability.failed("gateway", e);
        }
        try (observed) {
            return serve(address, controllerAddress, protection, calling, observed, err);
        }
    }

    private int serve(HostPort address, Optional<HostPort> controllerAddress, ServerSecurity protection, ClientSecurity calling,
            Observability observed, PrintWriter err) throws Exception {
        GrpcChannels agents = new GrpcChannels(calling);
        Optional<ManagedChannel> controllerChannel = controllerAddress.map(a -> calling.open(a.toString()));
        SourceResolverProvider.Context context = new SourceResolverProvider.Context(
                new PulsarSources(PulsarSourceSettings.defaults(), Clock.systemUTC()), PulsarClients::withDefaults,
                url -> new AgentDumper(agents.get(url), AgentDumper.Settings.defaults()));
        SourceResolver sources = OptionValues.parse(spec, "--resolver-config: ", () -> Resolvers.load(resolver, Optional.ofNullable(resolverConfig), context));
        GatewayService service = new GatewayService(sources, controllerChannel.map(Channel.class::cast), GatewaySettings.defaults(), Clock.systemUTC(),
                observed.registry());
        GrpcServer server = GrpcServer.on(address.bindAddress(), protection, service);
        AutoCloseable resources = () -> {
            if (sources instanceof AutoCloseable closeable) {
                closeable.close();
            }
            controllerChannel.ifPresent(GrpcChannels::shutdown);
            agents.close();
        };
        try {
            server.start();
        } catch (IOException e) {
            service.close();
            resources.close();
            err.println("gateway failed: cannot listen on " + address + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        AtomicBoolean serving = new AtomicBoolean(true);
        observed.ready(() -> serving.get() ? service.whyNotReady() : Optional.of("gRPC server shutting down"));
        observed.logStart("gateway listening on " + address.host() + ":" + server.port() + " (" + protection + "), resolver " + resolver
                + (resolverConfig == null ? "" : " (" + resolverConfig + ")") + ", "
                + controllerAddress.map(a -> "dumps from the controller at " + a).orElse("no controller: no dumps")
                + "; calls to the controller and agents: " + calling);
        CountDownLatch stop = new CountDownLatch(1);
        try (resources) {
            return Foreground.run("gateway", () -> {
                stop.await();
                serving.set(false);
                server.shutdown(SHUTDOWN); // ends every stream, then closes the service
            }, stop::countDown, err);
        }
    }
}
