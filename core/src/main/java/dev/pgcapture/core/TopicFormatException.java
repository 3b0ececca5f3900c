package dev.pgcapture.core;

/**
 * A Pulsar message does not follow {@link TopicFormat}: a malformed key or fragment property, a
 * payload that is not a pgcapture {@code Message}, or fragments out of order. The message says
 * which key and what was expected.
 */
public final class TopicFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TopicFormatException(String message) {
        super(message);
    }

    public TopicFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
