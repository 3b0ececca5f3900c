package dev.pgcapture.consumer;

/**
 * Hears of every value the consumer could not decode, before the change is requeued or skipped
 * ({@link DecodeErrorPolicy}). Called on the consumer's thread; it should return quickly. The
 * default logs a warning.
 */
@FunctionalInterface
public interface DecodeErrorListener {

    /** Called once per change that holds an undecodable value, with the first such value. */
    void onDecodeError(DecodeError error);
}
