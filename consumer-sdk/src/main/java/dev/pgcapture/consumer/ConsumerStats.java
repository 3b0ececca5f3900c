package dev.pgcapture.consumer;

/**
 * What a {@link Consumer} has done since it was created: a snapshot, for logs and metrics.
 *
 * @param received messages the gateway delivered
 * @param handled changes a handler handled, acknowledged
 * @param requeued changes requeued: a handler failed, or a value did not decode ({@link DecodeErrorPolicy#REQUEUE})
 * @param withoutHandler changes of tables without a handler, acknowledged at once
 * @param decodeErrors changes holding a value that did not decode (requeued or skipped)
 * @param skipped changes skipped for a decode error ({@link DecodeErrorPolicy#SKIP}), acknowledged unhandled
 * @param debounced updates replaced by a later update of their key before being handled, acknowledged
 * @param ignored messages ignored in exact mode between a requeue and the gateway's redelivery
 * @param reconnects times the consumer opened a new stream after the gateway went away
 */
public record ConsumerStats(long received, long handled, long requeued, long withoutHandler, long decodeErrors, long skipped,
        long debounced, long ignored, long reconnects) {
}
