package dev.pgcapture.core;

import dev.pgcapture.proto.Message;
import java.util.Objects;

/**
 * One element of a change stream together with its position: a Begin, Change, Commit or
 * KeepAlive {@link Message}, and the {@link Checkpoint} that acknowledges it.
 */
public record SourceMessage(Checkpoint checkpoint, Message message) {

    public SourceMessage {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(message, "message");
    }
}
