package dev.pgcapture.gateway;

import dev.pgcapture.core.Backoff;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.proto.CaptureAck;
import io.grpc.Status;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream does with its client's answers. An acknowledgement releases a change's source
 * position (in order, in exact mode) or counts a dump row toward its chunk. A requeue in shared
 * mode is the source's negative acknowledgement (for a row: its chunk's requeue); in exact mode
 * it is retried in place, go-back-N after a backoff that doubles per attempt, until the client's
 * {@code MaxAttempts}, after which a change goes to the dead-letter topic (a row gives its table
 * back to the controller) and delivery rewinds to what follows it. An answer for anything not
 * outstanding ends the stream with INVALID_ARGUMENT.
 */
final class Acks {

    private static final Logger log = LoggerFactory.getLogger(Acks.class);

    private final Delivery delivery;
    private final DumpDelivery dumps;
    private final Counters counters;
    private final Backoff retryBackoff;

    Acks(Delivery delivery, DumpDelivery dumps, Counters counters) {
        this.delivery = delivery;
        this.dumps = dumps;
        this.counters = counters;
        this.retryBackoff = new Backoff(delivery.settings.retryBackoffMin(), delivery.settings.retryBackoffMax());
    }

    void onAck(CaptureAck ack) {
        DeliveryWindow window = delivery.window;
        Entry.Key key = Entry.Key.of(ack.getCheckpoint());
        Entry entry = window.match(key);
        if (entry == null) {
            if (window.absorbDuplicate(key)) {
                return;
            }
            throw new SessionEnd(Status.INVALID_ARGUMENT.withDescription("acknowledged checkpoint " + key
                    + " is not outstanding on this stream: never delivered, or already acknowledged"));
        }
        String reason = ack.getRequeueReason();
        if (!reason.isEmpty()) {
            delivery.meters.requeues().increment();
        }
        if (reason.isEmpty()) {
            window.remove(entry, 1);
            if (entry.isRow()) {
                entry.chunk.acked++;
                dumps.rowAcked(entry.chunk);
            } else {
                delivery.commits.done(entry.slot);
            }
        } else if (delivery.parameters.mode() == DeliveryMode.SHARED) {
            if (entry.isRow()) {
                dumps.rowRequeued(entry, reason);
            } else {
                window.remove(entry, 1);
                delivery.source.requeue(entry.sourceCheckpoint, reason);
            }
        } else {
            retryInPlace(entry, reason);
        }
    }

    private void retryInPlace(Entry entry, String reason) {
        DeliveryWindow window = delivery.window;
        int attempts = window.failed(entry);
        counters.retries.increment();
        if (delivery.parameters.maxAttempts().isPresent() && attempts >= delivery.parameters.maxAttempts().getAsInt()) {
            log.warn("capture stream {} of URI \"{}\": giving up on {} after {} attempts: {}", delivery.id, delivery.uri, entry,
                    attempts, reason);
            window.remove(entry, 1);
            counters.givenUp.increment();
            if (entry.isRow()) {
                dumps.rowGivenUp(entry, reason);
            } else {
                deadLetter(entry, reason);
                delivery.commits.skipped(entry.slot);
            }
            window.rewindAfter(entry);
            return;
        }
        Duration wait = retryBackoff.delay(attempts);
        log.warn("capture stream {} of URI \"{}\": {} requeued (attempt {}), delivering it again in {}: {}", delivery.id,
                delivery.uri, entry, attempts, wait, reason);
        window.rewind(entry, delivery.now().plus(wait));
    }

    private void deadLetter(Entry entry, String reason) {
        try {
            delivery.source.requeue(entry.sourceCheckpoint, reason);
        } catch (RuntimeException e) {
            // The change stays unacknowledged on the subscription: the next consumer gets it again.
            throw new SessionEnd(Status.UNAVAILABLE.withDescription("cannot give up on " + entry + ": " + e.getMessage()));
        }
    }
}
