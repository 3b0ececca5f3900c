package dev.pgcapture.gateway;

import io.grpc.Status;

/** Ends a {@code Capture} stream with a status for its client. */
final class SessionEnd extends RuntimeException {

    final Status status;

    SessionEnd(Status status) {
        super(status.getDescription(), null, false, false);
        this.status = status;
    }
}
