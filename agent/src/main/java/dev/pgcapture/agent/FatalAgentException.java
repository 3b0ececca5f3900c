package dev.pgcapture.agent;

/**
 * An agent cannot go on, and retrying will not help: the slot is gone or invalidated (the
 * replicas need a new seed), a column cannot be sent in binary, the stream cannot be decoded,
 * another agent owns the topic. The message says what happened and what the operator can do
 * about it. {@link AgentRunner} stops on it instead of retrying.
 */
public final class FatalAgentException extends Exception {

    public FatalAgentException(String message) {
        super(message);
    }

    public FatalAgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
