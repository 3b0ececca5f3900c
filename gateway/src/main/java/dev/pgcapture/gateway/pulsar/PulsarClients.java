package dev.pgcapture.gateway.pulsar;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.SizeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link PulsarClient} per Pulsar service URL, made at first use and closed together.
 * Thread-safe.
 *
 * <p>The clients have no memory limit: nothing the gateway holds is bounded by it. A source's
 * prefetch is bounded by its receiver queue ({@link PulsarSourceSettings#receiverQueueSize}), in
 * messages, and its consumer leaves the client's memory limit alone (see {@link PulsarSources});
 * the only producer, a source's dead-letter producer, sends one message at a time and waits for
 * each.
 */
public final class PulsarClients implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PulsarClients.class);

    private final Duration operationTimeout;
    private final Map<String, PulsarClient> clients = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param operationTimeout how long a client waits for the broker on a call (subscribing,
     *     looking a topic up), at least 1 ms
     */
    public PulsarClients(Duration operationTimeout) {
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        if (operationTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("operationTimeout must be at least 1 ms, was " + operationTimeout);
        }
        this.operationTimeout = operationTimeout;
    }

    /** Clients with {@link PulsarSourceSettings#DEFAULT_OPERATION_TIMEOUT}. */
    public static PulsarClients withDefaults() {
        return new PulsarClients(PulsarSourceSettings.DEFAULT_OPERATION_TIMEOUT);
    }

    /**
     * The client for {@code serviceUrl} ({@code pulsar://host:port}, {@code pulsar+ssl://...}),
     * made at the first call; the same one afterwards. Making one does not connect yet.
     *
     * @throws PulsarClientException when the URL is not a Pulsar service URL
     * @throws IllegalStateException after {@link #close}
     */
    public synchronized PulsarClient client(String serviceUrl) throws PulsarClientException {
        Objects.requireNonNull(serviceUrl, "serviceUrl");
        if (closed) {
            throw new IllegalStateException("the Pulsar clients are closed");
        }
        PulsarClient client = clients.get(serviceUrl);
        if (client == null) {
            try {
                client = PulsarClient.builder()
                        .serviceUrl(serviceUrl)
                        .memoryLimit(0, SizeUnit.BYTES)
                        .operationTimeout((int) operationTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .connectionTimeout((int) Math.min(operationTimeout.toMillis(), 10_000), TimeUnit.MILLISECONDS)
                        // Per-client statistics in the log every minute are noise for a gateway.
                        .statsInterval(0, TimeUnit.SECONDS)
                        .build();
            } catch (PulsarClientException | IllegalArgumentException e) {
                throw new PulsarClientException.InvalidServiceURL("Pulsar service URL \"" + serviceUrl + "\" is not valid: " + e.getMessage(), e);
            }
            clients.put(serviceUrl, client);
            log.info("Pulsar client for {} made", serviceUrl);
        }
        return client;
    }

    /** Closes every client; their consumers and producers end with them. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Map.Entry<String, PulsarClient> entry : clients.entrySet()) {
            try {
                entry.getValue().close();
            } catch (PulsarClientException e) {
                log.warn("closing the Pulsar client for {} failed: {}", entry.getKey(), e.getMessage());
            }
        }
        clients.clear();
    }
}
