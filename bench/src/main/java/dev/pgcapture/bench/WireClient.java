package dev.pgcapture.bench;

import com.google.protobuf.Struct;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.gateway.GatewayService;
import dev.pgcapture.gateway.GatewaySettings;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.pulsar.PulsarSourceSettings;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import dev.pgcapture.gateway.resolve.StaticResolver;
import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureInit;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DBLogGatewayGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ClientStreamTracer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real gateway ({@link GatewayService} over a {@link StaticResolver}, default settings) served
 * with {@link GrpcServer#on} on loopback, and a {@code Capture} client over Netty that acknowledges
 * every message and counts, per change, the message's size as gRPC read it off the wire
 * ({@link ClientStreamTracer#inboundMessageRead}'s wire size, without gRPC's 5-byte message
 * prefix) and its protobuf size.
 */
final class WireClient implements ClientResponseObserver<CaptureRequest, CaptureMessage> {

    private static final String URI = "bench-wire";

    /**
     * What the client received until the last expected change: the message bodies gRPC reported
     * read ({@link ClientStreamTracer#inboundWireSize}), and every byte the gateway sent on the
     * TCP connection (counted by a {@link CountingRelay} between the two: HTTP/2 framing, headers
     * and control frames included).
     */
    record Received(long messageBodyBytes, long connectionBytes) {
    }

    private final WireTallies tallies;
    private final long expected;
    private final ConcurrentLinkedQueue<Long> wireSizes = new ConcurrentLinkedQueue<>();
    private final AtomicLong inboundWireBytes = new AtomicLong();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long counted;
    private ClientCallStreamObserver<CaptureRequest> requests;
    private boolean halfClosed;

    private WireClient(WireTallies tallies, long expected) {
        this.tallies = tallies;
        this.expected = expected;
    }

    /**
     * Serves {@code topic} through a gateway and receives it until {@code expected} changes of
     * the tallies' tables arrived, counting them as {@link WireScenario.Measure#GRPC_WIRE} and
     * {@link WireScenario.Measure#PROTOBUF}.
     *
     * @return the bytes the client received
     */
    static Received receive(String pulsarUrl, String topic, WireTallies tallies, long expected, Duration timeout) throws Exception {
        ResolverConfig config = ResolverConfig.of(Map.of(URI, new ResolverConfig.Entry(pulsarUrl, topic, URI + "-subscription", Optional.empty())));
        StaticResolver resolver = new StaticResolver(config, new PulsarSources(PulsarSourceSettings.defaults(), Clock.systemUTC()),
                PulsarClients.withDefaults(), url -> {
                    throw new IllegalStateException("scenario wire dumps nothing");
                });
        GrpcServer server = GrpcServer.on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new GatewayService(resolver, Optional.empty(), GatewaySettings.defaults(), Clock.systemUTC())).start();
        CountingRelay relay = new CountingRelay(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        ManagedChannel channel = NettyChannelBuilder.forAddress(relay.address())
                .usePlaintext().maxInboundMessageSize(GrpcServer.DEFAULT_MAX_MESSAGE_BYTES).build();
        try (relay) {
            WireClient client = new WireClient(tallies, expected);
            Channel traced = ClientInterceptors.intercept(channel, client.tracing());
            DBLogGatewayGrpc.newStub(traced).capture(client);
            client.send(CaptureRequest.newBuilder().setInit(CaptureInit.newBuilder().setUri(URI).setParameters(Struct.getDefaultInstance())).build());
            client.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Received received = new Received(client.inboundWireBytes.get(), relay.bytesToClients());
            client.send(null);
            return received;
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            try {
                server.shutdown(Duration.ofSeconds(5));
            } finally {
                resolver.close();
            }
        }
    }

    private ClientInterceptor tracing() {
        ClientStreamTracer.Factory factory = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                return new ClientStreamTracer() {
                    @Override
                    public void inboundMessageRead(int seqNo, long optionalWireSize, long optionalUncompressedSize) {
                        wireSizes.add(optionalWireSize);
                    }

                    @Override
                    public void inboundWireSize(long bytes) {
                        inboundWireBytes.addAndGet(bytes);
                    }
                };
            }
        };
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return next.newCall(method, options.withStreamTracerFactory(factory));
            }
        };
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<CaptureRequest> requestStream) {
        this.requests = requestStream;
    }

    @Override
    public void onNext(CaptureMessage message) {
        // gRPC reads a message off the wire (and reports its size) before handing it on, in order.
        Long wireSize = wireSizes.poll();
        if (wireSize == null || wireSize < 0) {
            done.completeExceptionally(new IllegalStateException("gRPC reported no wire size for message " + (counted + 1)));
            return;
        }
        Change change = message.getChange();
        String table = change.getSchema() + "." + change.getTable();
        if (message.hasChange() && tallies.counts(table)) {
            WireTally.Op op = switch (change.getOp()) {
                case INSERT -> WireTally.Op.INSERT;
                case UPDATE -> WireTally.Op.UPDATE;
                case DELETE -> WireTally.Op.DELETE;
                default -> throw new IllegalStateException("unexpected operation " + change.getOp() + " on " + change.getTable());
            };
            tallies.add(WireScenario.Measure.GRPC_WIRE, table, op, wireSize);
            tallies.add(WireScenario.Measure.PROTOBUF, table, op, message.getSerializedSize());
            counted++;
        }
        send(CaptureRequest.newBuilder().setAck(CaptureAck.newBuilder().setCheckpoint(message.getCheckpoint())).build());
        if (counted >= expected) {
            done.complete(null);
        }
    }

    /** Sends {@code request}, or half-closes on null. */
    private synchronized void send(CaptureRequest request) {
        if (halfClosed) {
            return;
        }
        if (request == null) {
            halfClosed = true;
            requests.onCompleted();
        } else {
            requests.onNext(request);
        }
    }

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        done.completeExceptionally(new IllegalStateException("the gateway ended the stream after " + counted + " of " + expected + " changes"));
    }
}
