package dev.pgcapture.agent.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class AcknowledgementsTest {

    private static Checkpoint at(int seq) {
        return Checkpoint.of(new Lsn(0x100), seq);
    }

    @Test
    void acknowledgementsOutOfOrder_areReportedInStreamOrder_andOnlyWhenEverythingBeforeIsAcknowledged() {
        Committed committed = new Committed();
        Acknowledgements acknowledgements = new Acknowledgements(committed);
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        CompletableFuture<Void> third = new CompletableFuture<>();
        acknowledgements.track(at(0), first);
        acknowledgements.track(at(1), second);
        acknowledgements.track(at(2), third);

        third.complete(null);
        second.complete(null);
        assertEquals(List.of(), committed.reported());
        first.complete(null);
        assertEquals(List.of(at(2)), committed.reported());
        assertEquals(0, acknowledgements.pendingCount());
    }

    @Test
    void acknowledgementsInOrder_reportEachCheckpoint() {
        Committed committed = new Committed();
        Acknowledgements acknowledgements = new Acknowledgements(committed);
        for (int seq = 0; seq < 3; seq++) {
            CompletableFuture<Void> send = new CompletableFuture<>();
            acknowledgements.track(at(seq), send);
            send.complete(null);
        }
        assertEquals(List.of(at(0), at(1), at(2)), committed.reported());
    }

    @Test
    void aFailure_stopsReportingForGood_andIsThrown() throws Exception {
        Committed committed = new Committed();
        Acknowledgements acknowledgements = new Acknowledgements(committed);
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> failed = new CompletableFuture<>();
        CompletableFuture<Void> after = new CompletableFuture<>();
        acknowledgements.track(at(0), first);
        acknowledgements.track(at(1), failed);
        acknowledgements.track(at(2), after);
        IOException cause = new IOException("broker gone");
        failed.completeExceptionally(cause);
        after.complete(null);
        first.complete(null);

        assertEquals(List.of(at(0)), committed.reported());
        SinkFailedException e = assertThrows(SinkFailedException.class, () -> acknowledgements.throwIfFailed("t"));
        assertEquals("publishing to topic t failed: broker gone", e.getMessage());
        assertSame(cause, e.getCause());
        assertThrows(SinkFailedException.class, () -> acknowledgements.awaitAll("t", Duration.ofSeconds(1)));
    }

    @Test
    void awaitAll_returnsOnceEverythingIsReported_andTimesOutOtherwise() throws Exception {
        Committed committed = new Committed();
        Acknowledgements acknowledgements = new Acknowledgements(committed);
        CompletableFuture<Void> send = new CompletableFuture<>();
        acknowledgements.track(at(7), send);
        TimeoutException timeout = assertThrows(TimeoutException.class, () -> acknowledgements.awaitAll("t", Duration.ofMillis(1)));
        assertEquals("1 messages to topic t are still unacknowledged after PT0.001S; the first is 0/100|7", timeout.getMessage());
        Thread completer = Thread.ofVirtual().start(() -> send.complete(null));
        acknowledgements.awaitAll("t", Duration.ofSeconds(30));
        completer.join();
        assertTrue(committed.reported().contains(at(7)));
    }
}
