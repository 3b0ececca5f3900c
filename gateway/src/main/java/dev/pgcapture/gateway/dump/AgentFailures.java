package dev.pgcapture.gateway.dump;

import dev.pgcapture.core.DumpRedoException;
import dev.pgcapture.core.NoSuchTableException;
import dev.pgcapture.core.TableName;
import io.grpc.Status;
import io.grpc.StatusException;

/** What an agent's error status means to a caller of {@link AgentDumper}. */
final class AgentFailures {

    /** How the agent begins the description of an ABORTED table dump that must be redone. */
    static final String REDO = "redo:";

    private AgentFailures() {
    }

    /**
     * The agent's status as a {@link StatusException} with the same code, its description
     * prefixed by {@code what} failed.
     */
    static StatusException failure(String what, Status status) {
        String description = status.getDescription() == null ? "" : ": " + status.getDescription();
        return Status.fromCode(status.getCode())
                .withDescription(what + " failed on the agent" + description)
                .withCause(status.getCause())
                .asException();
    }

    /**
     * A table dump's end: {@link NoSuchTableException} for NOT_FOUND; {@link DumpRedoException}
     * for FAILED_PRECONDITION (the replica did not reach the caller's position in time; the
     * agent's description names both LSNs) and for ABORTED "redo:" (the applier needed the
     * table); else {@link #failure}.
     */
    static Exception tableFailure(TableName table, Status status) {
        String description = status.getDescription() == null ? "" : status.getDescription();
        return switch (status.getCode()) {
            case NOT_FOUND -> new NoSuchTableException(table);
            case FAILED_PRECONDITION -> new DumpRedoException("table dump of " + table + ": " + description);
            case ABORTED -> description.startsWith(REDO)
                    ? new DumpRedoException(description)
                    : failure("table dump of " + table, status);
            default -> failure("table dump of " + table, status);
        };
    }
}
