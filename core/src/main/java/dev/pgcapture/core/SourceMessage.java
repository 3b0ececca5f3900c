package dev.pgcapture.core;

import dev.pgcapture.proto.Message;
import java.time.Instant;
import java.util.Objects;

/**
 * One element of a change stream together with its position: a Begin, Change, Commit or
 * KeepAlive {@link Message}, and the {@link Checkpoint} that acknowledges it.
 *
 * @param checkpoint the position that acknowledges the message
 * @param message the element
 * @param commitTime when the message's transaction committed at the source, or null when that is
 *     not known here. The gateway's Pulsar source sets it from what the capture agent recorded
 *     with each Pulsar message of a transaction; it is null on messages published before agents
 *     recorded it, on keepalives, and where the stream is made (the capture agent reads it from
 *     the Begin and Commit messages themselves).
 */
public record SourceMessage(Checkpoint checkpoint, Message message, Instant commitTime) {

    public SourceMessage {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(message, "message");
    }

    /** A message whose commit time is not known here ({@link #commitTime} null). */
    public SourceMessage(Checkpoint checkpoint, Message message) {
        this(checkpoint, message, null);
    }
}
