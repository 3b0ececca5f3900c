package dev.pgcapture.gateway.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.core.DumpRedoException;
import dev.pgcapture.core.NoSuchTableException;
import dev.pgcapture.core.TableName;
import io.grpc.Status;
import io.grpc.StatusException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an agent's status means to a caller of the dumper, and the dumper's settings. */
class AgentFailuresTest {

    private static final TableName TABLE = new TableName("public", "t");

    @Test
    void tableFailure_abortedWithRedo_isDumpRedoException_butAnotherAbortIsKeptAsStatus() {
        Exception redo = AgentFailures.tableFailure(TABLE, Status.ABORTED.withDescription("redo: table public.t was truncated"));
        assertEquals("redo: table public.t was truncated", assertInstanceOf(DumpRedoException.class, redo).getMessage());

        Exception other = AgentFailures.tableFailure(TABLE, Status.ABORTED.withDescription("transaction aborted"));
        StatusException status = assertInstanceOf(StatusException.class, other);
        assertEquals(Status.Code.ABORTED, status.getStatus().getCode());
        assertEquals("table dump of public.t failed on the agent: transaction aborted", status.getStatus().getDescription());
    }

    @Test
    void tableFailure_notFound_isNoSuchTable_andFailedPrecondition_isRedoWithTheAgentsReason() {
        assertEquals(TABLE, assertInstanceOf(NoSuchTableException.class, AgentFailures.tableFailure(TABLE, Status.NOT_FOUND)).table());
        Exception behind = AgentFailures.tableFailure(TABLE, Status.FAILED_PRECONDITION.withDescription("applied 5/A0, behind 9/0"));
        assertEquals("table dump of public.t: applied 5/A0, behind 9/0", assertInstanceOf(DumpRedoException.class, behind).getMessage());
    }

    @Test
    void settings_outOfRange_areRefusedNamingTheValue() {
        AgentDumper.Settings defaults = AgentDumper.Settings.defaults();
        assertEquals("tableWait must not be negative, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> defaults.withTableWait(Duration.ofSeconds(-1))).getMessage());
        assertEquals("bufferRows must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> defaults.withBufferRows(0)).getMessage());
        assertEquals("maxInboundMessageSize must be positive, was 0",
                assertThrows(IllegalArgumentException.class, () -> defaults.withMaxInboundMessageSize(0)).getMessage());
    }
}
