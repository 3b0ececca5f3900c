package dev.pgcapture.consumer;

import io.grpc.Channel;

/**
 * The entry point of the consumer SDK.
 *
 * <pre>{@code
 * ManagedChannel channel = ManagedChannelBuilder.forTarget("gateway:10001").usePlaintext().build();
 * try (Consumer consumer = PgCapture.newConsumer(channel, ConsumerOptions.builder("orders-search").build())) {
 *     consumer.consume(Handlers.of(Order.class, change -> search.apply(change)));
 * }
 * }</pre>
 *
 * <p>A gateway with TLS and a bearer token ({@code --tls-cert}, {@code --auth-token-file}): build
 * the channel with gRPC's TLS credentials and give the options the token.
 * <pre>{@code
 * ChannelCredentials tls = TlsChannelCredentials.newBuilder()
 *         .trustManager(new File("ca.pem"))                               // the CA of the gateway's certificate
 *         .keyManager(new File("client.pem"), new File("client-key.pem")) // only if the gateway asks for client certificates
 *         .build();
 * ManagedChannel channel = Grpc.newChannelBuilder("gateway:10001", tls).build();
 * ConsumerOptions options = ConsumerOptions.builder("orders-search").bearerToken(System.getenv("PGCAPTURE_TOKEN")).build();
 * }</pre>
 * ({@code dev.pgcapture.core.grpc.ClientSecurity} builds the same channel from files, token included.)
 */
public final class PgCapture {

    private PgCapture() {
    }

    /**
     * A consumer of {@code options.uri()}'s stream from the gateway behind {@code channel}. The
     * channel stays the caller's: the consumer never shuts it down. Nothing is sent until
     * {@link Consumer#consume}.
     */
    public static Consumer newConsumer(Channel channel, ConsumerOptions options) {
        return new Consumer(channel, options);
    }
}
