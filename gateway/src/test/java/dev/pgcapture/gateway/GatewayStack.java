package dev.pgcapture.gateway;

import dev.pgcapture.controller.AgentLookup;
import dev.pgcapture.controller.ControllerService;
import dev.pgcapture.controller.ControllerSettings;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.gateway.dump.AgentDumper;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.pulsar.PulsarSourceSettings;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import dev.pgcapture.gateway.resolve.StaticResolver;
import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway for integration tests: a {@link GatewayService} over the {@link StaticResolver}
 * (a Pulsar subscription on a capture topic, dumps from an agent reached in process), and, when
 * dumps are wanted, a real {@link ControllerService} on a store database; both served in process.
 */
public final class GatewayStack implements AutoCloseable {

    /** The consumer URI the stack resolves. */
    public static final String URI = "items-consumer";

    /** The gateway. */
    public final GatewayService gateway;
    /** A channel to the gateway. */
    public final ManagedChannel channel;
    private final GrpcServer server;
    private final StaticResolver resolver;
    private final ControllerService controller;
    private final GrpcServer controllerServer;
    private final ManagedChannel controllerChannel;

    private GatewayStack(TestPulsar pulsar, String topic, Optional<Channel> agent, Optional<TestDatabase> store, String name,
            String uri) throws Exception {
        ResolverConfig config = ResolverConfig.of(Map.of(uri, new ResolverConfig.Entry(pulsar.serviceUrl(), topic, uri + "-subscription",
                agent.map(a -> "in-process:1"))));
        resolver = new StaticResolver(config, new PulsarSources(PulsarSourceSettings.defaults(), Clock.systemUTC()),
                PulsarClients.withDefaults(), url -> new AgentDumper(agent.orElseThrow(), AgentDumper.Settings.defaults()));
        if (store.isPresent() && agent.isPresent()) {
            Channel agentChannel = agent.get();
            AgentLookup lookup = anyUri -> new AgentLookup.Agent("in-process agent", agentChannel);
            controller = ControllerService.open(PostgresUrl.parse(store.get().jdbcUrl()), lookup, Clock.systemUTC(),
                    ControllerSettings.defaults());
            String controllerName = InProcessServerBuilder.generateName();
            controllerServer = new GrpcServer(InProcessServerBuilder.forName(controllerName), controller).start();
            controllerChannel = InProcessChannelBuilder.forName(controllerName).build();
        } else {
            controller = null;
            controllerServer = null;
            controllerChannel = null;
        }
        gateway = new GatewayService(resolver, Optional.ofNullable(controllerChannel), GatewaySettings.defaults(), Clock.systemUTC());
        server = new GrpcServer(InProcessServerBuilder.forName(name), gateway).start();
        channel = InProcessChannelBuilder.forName(name).maxInboundMessageSize(GrpcServer.DEFAULT_MAX_MESSAGE_BYTES).build();
    }

    /** Changes only: no agent, no controller. */
    public static GatewayStack changes(TestPulsar pulsar, String topic) throws Exception {
        return changes(pulsar, topic, InProcessServerBuilder.generateName());
    }

    /**
     * Changes only, served in process under {@code name}: a stack started again under the same
     * name is what a client reconnecting to a restarted gateway finds.
     */
    public static GatewayStack changes(TestPulsar pulsar, String topic, String name) throws Exception {
        return new GatewayStack(pulsar, topic, Optional.empty(), Optional.empty(), name, URI);
    }

    /** Changes only, for consumer URI {@code uri} (subscription {@code <uri>-subscription}). */
    public static GatewayStack changesFor(TestPulsar pulsar, String topic, String uri) throws Exception {
        return new GatewayStack(pulsar, topic, Optional.empty(), Optional.empty(), InProcessServerBuilder.generateName(), uri);
    }

    /** Changes and dumps from {@code agent}, scheduled by a controller on {@code store}. */
    public static GatewayStack withDumps(TestPulsar pulsar, String topic, Channel agent, TestDatabase store) throws Exception {
        return new GatewayStack(pulsar, topic, Optional.of(agent), Optional.of(store), InProcessServerBuilder.generateName(), URI);
    }

    /** A client of the controller (stacks with dumps only). */
    public DBLogControllerGrpc.DBLogControllerBlockingStub controller() {
        return DBLogControllerGrpc.newBlockingStub(controllerChannel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdown(Duration.ofSeconds(5));
        } finally {
            try {
                if (controllerServer != null) {
                    controllerChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    controllerServer.shutdown(Duration.ofSeconds(5));
                }
            } finally {
                resolver.close();
            }
        }
    }
}
