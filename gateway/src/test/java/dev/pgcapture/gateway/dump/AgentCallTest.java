package dev.pgcapture.gateway.dump;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reader's side of a call, fed as gRPC feeds it (the listener methods), without a channel:
 * order, the end, and cancellation from another thread.
 */
class AgentCallTest {

    private final List<AgentCall<?, ?>> ended = new ArrayList<>();
    private final AgentCall<String, String> call = AgentCall.create(ended::add);
    @Test
    void take_returnsResponsesInArrivalOrder_thenTheEnd_everyTimeAfter() throws Exception {
        call.onMessage("a");
        call.onMessage("b");
        Status aborted = Status.ABORTED.withDescription("redo: table t");
        call.onClose(aborted, new Metadata());

        assertEquals(2, call.buffered());
        assertEquals(new AgentCall.Response<>("a"), call.take());
        assertEquals(new AgentCall.Response<>("b"), call.take());
        for (int i = 0; i < 2; i++) {
            AgentCall.End<String> end = assertInstanceOf(AgentCall.End.class, call.take());
            assertEquals(aborted, end.status());
        }
        assertEquals(List.of(call), ended, "the end is reported once");
    }

    @Test
    void awaitHeaders_ofACallEndedWithoutHeaders_isNull_andItsTrailersAreInTheEnd() throws Exception {
        Metadata trailers = new Metadata();
        Metadata.Key<String> key = Metadata.Key.of("pgcapture-snapshot-lsn", Metadata.ASCII_STRING_MARSHALLER);
        trailers.put(key, "5/A0");
        call.onClose(Status.OK, trailers);

        assertEquals(null, call.awaitHeaders());
        assertEquals("5/A0", call.end().trailers().get(key));
    }

    @Test
    void take_waitingOnTheReaderThread_isWokenByCancelFromAnotherThread_withCancellationException() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("reader").start(() -> {
            try {
                failure.complete(new AssertionError("take returned " + call.take()));
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.WAITING);

        call.cancel("the dumper was closed");

        Throwable thrown = failure.get(10, TimeUnit.SECONDS);
        assertInstanceOf(CancellationException.class, thrown);
        assertEquals("the dumper was closed", thrown.getMessage());
    }

    @Test
    void take_afterCancel_throwsEvenWithResponsesQueued_soACancelledDumpNeverLooksComplete() {
        call.onMessage("a");
        call.onClose(Status.OK, new Metadata());
        call.cancel("closed by the caller");

        CancellationException e = assertThrows(CancellationException.class, call::take);
        assertEquals("closed by the caller", e.getMessage());
        assertThrows(CancellationException.class, call::awaitHeaders);
        assertTrue(call.buffered() > 0);
    }
}
