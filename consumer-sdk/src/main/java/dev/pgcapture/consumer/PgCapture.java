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
