package dev.pgcapture.core;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where changes go: a Pulsar topic, a replica database.
 *
 * <p>An agent is a {@link Source} wired to a sink: it asks the sink where it stands
 * ({@link #setup}), starts the source after that, feeds every message to {@link #apply} in
 * order, and passes each checkpoint the sink reports as durable on to {@link Source#commit}.
 * A sink may buffer and batch, but it reports a checkpoint only when everything up to it is
 * durable, and it reports checkpoints in order.
 */
public interface Sink extends AutoCloseable {

    /**
     * Opens the sink.
     *
     * @param committed called, in stream order and from any thread, with each checkpoint up to
     *     which everything applied is durable
     * @return the last checkpoint the sink holds durably, or empty when it holds none; the
     *     agent resumes after it and the sink ignores anything at or before it
     */
    Optional<Checkpoint> setup(Consumer<Checkpoint> committed) throws Exception;

    /**
     * Applies one message, after every message applied before it.
     *
     * @throws Exception when the sink has failed; the agent stops and starts over from
     *     {@link #setup}, and nothing not reported as committed is assumed durable
     */
    void apply(SourceMessage message) throws Exception;

    /** Releases the sink's resources. Whatever was not reported as committed may be lost. */
    @Override
    void close();
}
