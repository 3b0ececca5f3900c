package dev.pgcapture.agent.dump;

import io.grpc.Status;

/** A dump ends early with {@link #status}: the caller cancelled, the applier needed the table, or a request was wrong. */
final class DumpStopped extends Exception {

    private final transient Status status;

    DumpStopped(Status status) {
        super(status.getDescription(), null, false, false);
        this.status = status;
    }

    Status status() {
        return status;
    }
}
