package dev.pgcapture.cli;

import dev.pgcapture.core.grpc.ClientSecurity;
import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ScheduleProgress;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A gRPC connection to a controller, for the commands that talk to one, with its errors as one-line messages. */
final class ControllerClient implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final HostPort address;
    private final ManagedChannel channel;

    ControllerClient(HostPort address, ClientSecurity security) {
        this.address = address;
        this.channel = security.open(address.toString());
    }

    /** A stub whose calls fail after {@code timeout}. */
    DBLogControllerGrpc.DBLogControllerBlockingStub stub(Duration timeout) {
        return DBLogControllerGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The schedules of {@code uri}, or of every URI when it is empty. */
    List<ScheduleProgress> schedules(String uri) {
        return stub(CALL_TIMEOUT).listSchedules(ListSchedulesRequest.newBuilder().setUri(uri).build()).getSchedulesList();
    }

    Optional<ScheduleProgress> schedule(String uri) {
        return schedules(uri).stream().filter(p -> p.getUri().equals(uri)).findFirst();
    }

    /** Whether the call failed because the controller could not be reached at all. */
    static boolean unreachable(StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return true;
        }
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
            return false;
        }
        for (Throwable t = e.getStatus().getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return "io exception".equals(e.getStatus().getDescription());
    }

    /** The failure as one line: the controller's own description, or why it could not be reached. */
    String message(StatusRuntimeException e) {
        Status status = e.getStatus();
        if (unreachable(e)) {
            Throwable cause = status.getCause();
            while (cause != null && cause.getCause() != null) {
                cause = cause.getCause();
            }
            String why = cause != null && cause.getMessage() != null ? cause.getMessage()
                    : status.getDescription() != null ? status.getDescription() : status.getCode().toString();
            return "cannot reach the controller at " + address + ": " + why;
        }
        if (status.getCode() == Status.Code.UNAUTHENTICATED || status.getCode() == Status.Code.PERMISSION_DENIED) {
            return "the controller at " + address + " refused the call: " + status.getCode()
                    + (status.getDescription() != null ? ": " + status.getDescription() : "");
        }
        return status.getDescription() != null ? status.getDescription() : "the controller answered " + status.getCode();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
