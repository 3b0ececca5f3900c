package dev.pgcapture.gateway.pulsar;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.SourceMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pulsar.client.api.PulsarClient;

/** Reads sources in tests. */
final class Reading {

    /** How long a test waits for a message that must arrive. */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a test waits to be sure nothing more arrives. */
    static final Duration QUIET = Duration.ofSeconds(2);

    private Reading() {
    }

    /** Sources with a short shared-mode redelivery delay. */
    static PulsarSources sources() {
        return new PulsarSources(PulsarSourceSettings.defaults().withNegativeAckRedeliveryDelay(Duration.ofMillis(200)), Clock.systemUTC());
    }

    /** A new source in {@code mode}, capturing from wherever the subscription stands. */
    static PulsarSource capture(PulsarSources sources, PulsarClient client, String topic, String subscription,
            DeliveryMode mode) throws Exception {
        PulsarSource source = sources.open(client, topic, subscription, mode);
        source.capture(Checkpoint.ZERO);
        return source;
    }

    /** The next {@code count} messages; fails when one does not arrive within {@link #WAIT}. */
    static List<SourceMessage> read(PulsarSource source, int count) throws Exception {
        List<SourceMessage> messages = new ArrayList<>(count);
        while (messages.size() < count) {
            SourceMessage message = source.next(WAIT);
            if (message == null) {
                throw new AssertionError(source + " delivered " + messages.size() + " of " + count + " messages, then nothing for " + WAIT);
            }
            messages.add(message);
        }
        return messages;
    }

    /** Asserts that nothing arrives within {@link #QUIET}. */
    static void assertNothingMore(PulsarSource source) throws Exception {
        SourceMessage message = source.next(QUIET);
        assertNull(message, () -> source + " delivered " + message.checkpoint() + " where nothing more was expected");
    }
}
