package dev.pgcapture.gateway.pulsar;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.impl.ClientCnx;
import org.apache.pulsar.client.impl.ConsumerImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a consumer so that the broker forgets it even when the client's close fails.
 *
 * <p>A consumer the broker still counts keeps its place on the subscription: on a Failover
 * subscription it stays the active consumer, and every later one waits behind it as a standby,
 * receiving nothing, for as long as its connection lives. The Pulsar client sets a consumer to
 * closing before it tells the broker, so when the close throws (the client's own bookkeeping
 * failing) or the broker does not answer in time, the consumer is closed for the client and not
 * for the broker; closing it again does not help, as the client then sees a consumer already
 * closing and does nothing more. Unsubscribing would drop a durable subscription's position.
 * What always works is the connection: the broker drops every consumer of a connection that
 * ends. So a close that fails closes the consumer's connection. Its other consumers and
 * producers (those of other sources of the same client to that broker) reconnect on their own,
 * as after any network failure, and resume where their subscriptions stand; the failed one is
 * closing and does not.
 */
final class ConsumerClose {

    private static final Logger log = LoggerFactory.getLogger(ConsumerClose.class);

    private ConsumerClose() {
    }

    /**
     * Closes {@code consumer}, waiting up to {@code timeout} for the broker; when that fails or
     * times out, closes its connection.
     *
     * @param what names the consumer in the log (topic and subscription)
     * @return true when the consumer closed normally, false when its connection was closed
     *     instead (or will be, should a close interrupted here fail later)
     */
    static boolean close(Consumer<?> consumer, Duration timeout, String what) {
        CompletableFuture<Void> closing;
        try {
            closing = consumer.closeAsync();
        } catch (RuntimeException e) {
            closing = CompletableFuture.failedFuture(e);
        }
        try {
            closing.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing.whenComplete((closed, failure) -> {
                if (failure != null) {
                    dropConnection(consumer, what, "closing it failed after an interruption: " + failure.getMessage());
                }
            });
            return false;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            dropConnection(consumer, what, "closing it failed: " + cause);
            return false;
        } catch (TimeoutException e) {
            dropConnection(consumer, what, "the broker did not confirm closing it within " + timeout.toMillis() + " ms");
            return false;
        }
    }

    /** Closes the connection {@code consumer} uses, if it has one; the broker then drops the consumer. */
    static void dropConnection(Consumer<?> consumer, String what, String why) {
        ClientCnx cnx = consumer instanceof ConsumerImpl<?> impl ? impl.getClientCnx() : null;
        if (cnx == null) {
            log.warn("{}: {}; the consumer has no connection, so the broker does not count it", what, why);
            return;
        }
        log.warn("{}: {}; closing its connection to {} so that the broker drops it (the client's other consumers and producers"
                + " on that connection reconnect)", what, why, cnx.ctx() == null ? "the broker" : cnx.ctx().channel().remoteAddress());
        cnx.close();
    }
}
