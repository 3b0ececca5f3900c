package dev.pgcapture.consumer;

import io.grpc.Status;

/**
 * The gateway refused the consumer for a reason retrying cannot fix: an unknown URI
 * ({@code NOT_FOUND}), bad parameters ({@code INVALID_ARGUMENT}), a consumer of the URI in the
 * other delivery mode ({@code FAILED_PRECONDITION}), a gateway without the service
 * ({@code UNIMPLEMENTED}), or no right to it. The message is the gateway's.
 */
public final class ConsumerException extends RuntimeException {

    private final transient Status status;

    ConsumerException(String uri, Status status) {
        super("the gateway refused the consumer of URI \"" + uri + "\": " + status.getCode()
                + (status.getDescription() != null ? ": " + status.getDescription() : ""), status.getCause());
        this.status = status;
    }

    /** The gateway's status. */
    public Status status() {
        return status;
    }
}
