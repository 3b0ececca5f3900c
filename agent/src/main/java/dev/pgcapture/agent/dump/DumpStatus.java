package dev.pgcapture.agent.dump;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import io.grpc.Status;
import java.time.Duration;

/** The statuses the dump RPCs end with, and their exact descriptions. */
final class DumpStatus {

    /** How an ABORTED description begins: the table dump must be redone. */
    static final String REDO = "redo:";

    private DumpStatus() {
    }

    /**
     * ABORTED: the applier needed {@code table} exclusively (TRUNCATE, DDL) and cancelled this
     * dump. Callers recognise ABORTED as "redo this table on a fresh snapshot".
     */
    static Status redo(TableName table) {
        return Status.ABORTED.withDescription(REDO + " table " + table.quoted() + " was truncated or altered on the replica"
                + " while it was being dumped (the applier needed it exclusively); dump the whole table again on a fresh snapshot");
    }

    /** FAILED_PRECONDITION: the replica has not applied the caller's position. */
    static Status behind(Lsn applied, Lsn minLsn) {
        return Status.FAILED_PRECONDITION.withDescription("the replica has applied the source up to " + applied
                + ", behind the requested min_lsn " + minLsn);
    }

    /** FAILED_PRECONDITION: the replica did not reach the caller's position in time. */
    static Status stillBehind(Lsn applied, Lsn minLsn, Duration waited) {
        return Status.FAILED_PRECONDITION.withDescription("the replica has applied the source up to " + applied
                + ", still behind the requested min_lsn " + minLsn + " after waiting " + waited);
    }

    /** FAILED_PRECONDITION: the replica has never been seeded. */
    static Status notSeeded() {
        return Status.FAILED_PRECONDITION.withDescription(
                "the replica holds no applied source position (pgcapture.sources is empty or missing): seed it first with pgcapture seed");
    }

    /** UNAVAILABLE: the applier held the table exclusively for longer than the dump could wait. */
    static Status heldByApplier(TableName table, Duration waited) {
        return Status.UNAVAILABLE.withDescription("table " + table.quoted()
                + " is held exclusively by the applier (TRUNCATE or DDL) for longer than " + waited + "; try again");
    }

    static Status notFound(TableName table) {
        return Status.NOT_FOUND.withDescription("table " + table.quoted() + " does not exist on the replica");
    }

    static Status invalid(String what) {
        return Status.INVALID_ARGUMENT.withDescription(what);
    }
}
