package dev.pgcapture.agent.pulsar;

/**
 * A {@link PulsarSink} could not publish: a send failed, so nothing after the last reported
 * checkpoint is known to be in the topic. The sink stays failed; the agent starts over.
 */
public final class SinkFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    SinkFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
