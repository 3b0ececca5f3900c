package dev.pgcapture.controller;

import dev.pgcapture.core.Backoff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.controller.ChunkState.State;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.DumpInfoResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scheduler's decisions, on a fake clock and an in-memory store: no test sleeps. */
class SchedulerTest {

    private static final String URI = "orders";
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));

    private final InMemoryStore store = new InMemoryStore();
    private Scheduler scheduler = Scheduler.recover(store, BACKOFF);
    private Instant now = Instant.parse("2030-01-01T00:00:00Z");

    static DumpChunk chunk(String table, long begin, long end) {
        return new DumpChunk(TableName.parse(table), begin, end);
    }

    /** Chunks {@code t 0..0}, {@code t 1..1}, … of one table. */
    static List<DumpChunk> pages(String table, int n) {
        List<DumpChunk> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunks.add(chunk(table, i, i));
        }
        return chunks;
    }

    /** "table begin..end", and " last" when last_of_table is set. */
    static String show(DumpInfoResponse d) {
        return d.getTable() + " " + Integer.toUnsignedLong(d.getPageBegin()) + ".." + Integer.toUnsignedLong(d.getPageEnd())
                + (d.getLastOfTable() ? " last" : "");
    }

    private Map<Client, String> dispatch() {
        Map<Client, String> sent = new LinkedHashMap<>();
        scheduler.dispatch(now).forEach(h -> sent.put(h.client(), show(h.dump())));
        return sent;
    }

    private Optional<String> dispatchTo(Client client) {
        return Optional.ofNullable(dispatch().get(client));
    }

    private void schedule(List<DumpChunk> chunks) throws Exception {
        scheduler.schedule(URI, chunks, now);
    }

    private Scheduler.Progress progress() {
        return scheduler.progress(URI).get(0);
    }

    private void after(Duration d) {
        now = now.plus(d);
    }

    @Test
    void schedule_secondForSameUri_isRefusedAlreadyExists() throws Exception {
        schedule(pages("t", 2));
        Scheduler.ScheduleExistsException e = assertThrows(Scheduler.ScheduleExistsException.class, () -> schedule(pages("u", 1)));
        assertTrue(e.getMessage().contains("URI orders already has a schedule, 0 of 2 chunks done"), e.getMessage());
        scheduler.schedule("other", pages("u", 1), now); // another URI is independent
        assertEquals(2, progress().total());
    }

    @Test
    void schedule_afterTheFirstFinished_replacesIt() throws Exception {
        schedule(pages("t", 1));
        Client client = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("t 0..0", dispatchTo(client).orElseThrow());
        scheduler.acknowledge(client, 5, now);
        assertTrue(progress().finished(), "a finished schedule stays listed");

        schedule(pages("u", 3));
        assertEquals(3, progress().total());
        assertEquals(0, progress().done());
        assertEquals("u 0..0", dispatchTo(client).orElseThrow());
    }

    @Test
    void client_holdsAtMostOneChunk_untilItAnswers() throws Exception {
        schedule(pages("t", 3));
        Client client = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("t 0..0", dispatchTo(client).orElseThrow());
        assertTrue(dispatchTo(client).isEmpty(), "a second chunk before the answer");
        scheduler.acknowledge(client, 1, now);
        assertEquals("t 1..1", dispatchTo(client).orElseThrow());
    }

    @Test
    void severalSharedClients_eachGetTheNextChunkInScheduleOrder() throws Exception {
        schedule(pages("t", 3));
        Client a = scheduler.register(URI, DeliveryMode.SHARED);
        Client b = scheduler.register(URI, DeliveryMode.SHARED);
        Client elsewhere = scheduler.register("other", DeliveryMode.SHARED);
        Map<Client, String> sent = dispatch();
        assertEquals(Map.of(a, "t 0..0", b, "t 1..1"), sent, "a client of another URI gets nothing");
        assertEquals(2, progress().inFlight());
        assertEquals(1, progress().pending());
        assertFalse(sent.containsKey(elsewhere));
    }

    @Test
    void coolDown_idleClientGetsTheNextChunkOnlyOnceItHasPassedSinceItsAck() throws Exception {
        scheduler.coolDown(URI, Duration.ofSeconds(10));
        schedule(pages("t", 2));
        Client client = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("t 0..0", dispatchTo(client).orElseThrow(), "no cool-down before the first chunk");
        after(Duration.ofSeconds(3));
        scheduler.acknowledge(client, 1, now);
        Instant ackedAt = now;

        after(Duration.ofSeconds(9));
        assertTrue(dispatchTo(client).isEmpty(), "9 s after the ack: still cooling down");
        assertEquals(Optional.of(ackedAt.plusSeconds(10)), scheduler.nextWakeup(now), "the timer is set for the end of the cool-down");
        after(Duration.ofSeconds(1));
        assertEquals("t 1..1", dispatchTo(client).orElseThrow());
        assertEquals(Duration.ofSeconds(10), progress().coolDown());
    }

    @Test
    void requeue_putsTheChunkAtTheFront_withExponentialBackoff() throws Exception {
        schedule(pages("t", 3));
        Client client = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("t 0..0", dispatchTo(client).orElseThrow());
        scheduler.acknowledge(client, 1, now);
        assertEquals("t 1..1", dispatchTo(client).orElseThrow());

        scheduler.requeue(client, "replica restarting", now);
        assertEquals(1, progress().retries());
        assertEquals("t 2..2", dispatchTo(client).orElseThrow(), "while t 1..1 backs off, the next ready chunk goes");
        scheduler.acknowledge(client, 1, now);
        assertTrue(dispatchTo(client).isEmpty(), "t 1..1 backs off for 1 s");
        assertEquals(Optional.of(now.plusSeconds(1)), scheduler.nextWakeup(now));

        long[] backoffs = {1, 2, 4, 8, 8};
        for (int i = 0; i < backoffs.length; i++) {
            after(Duration.ofSeconds(backoffs[i]).minusMillis(1));
            assertTrue(dispatchTo(client).isEmpty(), "retry " + (i + 1) + ": backing off for " + backoffs[i] + " s");
            after(Duration.ofMillis(1));
            assertEquals("t 1..1", dispatchTo(client).orElseThrow(), "retry " + (i + 1));
            scheduler.requeue(client, "still failing", now);
        }
        assertEquals(1 + backoffs.length, progress().retries());
        assertEquals(6, store.chunk(URI, 1).retries(), "the retry count is stored");
    }

    @Test
    void requeue_ofAChunk_goesBeforeChunksNeverHandedOut() throws Exception {
        schedule(pages("t", 4));
        Client a = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("t 0..0", dispatchTo(a).orElseThrow());
        Client b = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("t 1..1", dispatchTo(b).orElseThrow());
        scheduler.requeue(b, "busy", now);
        scheduler.requeue(a, "busy", now);
        after(Duration.ofSeconds(1));
        Map<Client, String> sent = dispatch();
        assertEquals(List.of("t 0..0", "t 1..1"), List.copyOf(sent.values()), "the last requeued is first in the queue");
    }

    @Test
    void disconnect_requeuesTheOutstandingChunk() throws Exception {
        schedule(pages("t", 2));
        Client gone = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("t 0..0", dispatchTo(gone).orElseThrow());
        scheduler.disconnect(gone, now);
        assertEquals(1, progress().retries());
        assertEquals(0, progress().inFlight());

        Client next = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("t 1..1", dispatchTo(next).orElseThrow());
        scheduler.acknowledge(next, 1, now);
        after(Duration.ofSeconds(1));
        assertEquals("t 0..0", dispatchTo(next).orElseThrow());
    }

    @Test
    void exact_sameClientGetsEveryChunkOfATableInOrder_theLastMarked_coolDownOnlyBetweenTables() throws Exception {
        scheduler.coolDown(URI, Duration.ofSeconds(30));
        schedule(List.of(chunk("a", 0, 9), chunk("a", 10, 19), chunk("a", 20, DumpChunk.LAST_PAGE), chunk("b", 0, DumpChunk.LAST_PAGE)));
        Client exact = scheduler.register(URI, DeliveryMode.EXACT);
        Client shared = scheduler.register(URI, DeliveryMode.SHARED);

        Map<Client, String> first = dispatch();
        assertEquals("a 0..9", first.get(exact));
        assertEquals("b 0..4294967295", first.get(shared), "table a is leased: the shared client takes b");

        List<String> received = new ArrayList<>(List.of(first.get(exact)));
        for (int i = 0; i < 2; i++) {
            scheduler.acknowledge(exact, 100, now);
            received.add(dispatchTo(exact).orElseThrow(() -> new AssertionError("no cool-down inside a table")));
        }
        assertEquals(List.of("a 0..9", "a 10..19", "a 20..4294967295 last"), received);
        assertEquals(State.ACKED, store.chunk(URI, 0).state(), "acknowledgements are provisional until the table completes");
        assertEquals(0, progress().done());

        scheduler.acknowledge(exact, 100, now);
        assertEquals(3, progress().done());
        assertEquals(300, progress().rows());
        assertEquals(State.DONE, store.chunk(URI, 0).state());
    }

    @Test
    void exact_coolDownAppliesBetweenTables() throws Exception {
        scheduler.coolDown(URI, Duration.ofSeconds(30));
        schedule(List.of(chunk("a", 0, 0), chunk("b", 0, 0)));
        Client exact = scheduler.register(URI, DeliveryMode.EXACT);
        assertEquals("a 0..0 last", dispatchTo(exact).orElseThrow());
        scheduler.acknowledge(exact, 1, now);
        after(Duration.ofSeconds(29));
        assertTrue(dispatchTo(exact).isEmpty());
        after(Duration.ofSeconds(1));
        assertEquals("b 0..0 last", dispatchTo(exact).orElseThrow());
    }

    @Test
    void exact_requeueMidTable_restartsTheWholeTable_acknowledgedChunksToo_withBackoff() throws Exception {
        schedule(List.of(chunk("a", 0, 0), chunk("a", 1, 1), chunk("a", 2, 2), chunk("b", 0, 0)));
        Client exact = scheduler.register(URI, DeliveryMode.EXACT);
        assertEquals("a 0..0", dispatchTo(exact).orElseThrow());
        scheduler.acknowledge(exact, 10, now);
        assertEquals("a 1..1", dispatchTo(exact).orElseThrow());
        scheduler.requeue(exact, "dump cancelled: redo", now);

        assertEquals(0, progress().done());
        assertEquals(0, progress().inFlight());
        assertEquals(4, progress().pending());
        assertEquals(State.PENDING, store.chunk(URI, 0).state(), "the acknowledged chunk is pending again");
        assertEquals("b 0..0 last", dispatchTo(exact).orElseThrow(), "table a backs off; b is ready");
        scheduler.acknowledge(exact, 1, now);

        after(Duration.ofSeconds(1));
        List<String> redo = new ArrayList<>();
        for (Optional<String> next = dispatchTo(exact); next.isPresent(); next = dispatchTo(exact)) {
            redo.add(next.get());
            scheduler.acknowledge(exact, 10, now);
        }
        assertEquals(List.of("a 0..0", "a 1..1", "a 2..2 last"), redo, "the whole table again, in order");
        assertTrue(progress().finished());
        assertEquals(31, progress().rows(), "rows of the abandoned attempt are not counted");
        assertEquals(1, progress().retries());
    }

    @Test
    void exact_disconnectMidTable_restartsTheWholeTable_forTheNextClient() throws Exception {
        schedule(List.of(chunk("a", 0, 0), chunk("a", 1, 1)));
        Client gone = scheduler.register(URI, DeliveryMode.EXACT);
        assertEquals("a 0..0", dispatchTo(gone).orElseThrow());
        scheduler.acknowledge(gone, 1, now);
        assertEquals("a 1..1 last", dispatchTo(gone).orElseThrow());
        scheduler.disconnect(gone, now);
        scheduler.disconnect(gone, now); // idempotent

        Client next = scheduler.register(URI, DeliveryMode.EXACT);
        assertTrue(dispatchTo(next).isEmpty(), "the table backs off");
        after(Duration.ofSeconds(1));
        assertEquals("a 0..0", dispatchTo(next).orElseThrow());
        assertEquals(1, progress().retries());
    }

    @Test
    void exact_explicitSchedule_groupsChunksByTable_inOrderOfFirstAppearance() throws Exception {
        schedule(List.of(chunk("a", 0, 0), chunk("b", 0, 0), chunk("a", 5, 5), chunk("b", 7, 7)));
        Client exact = scheduler.register(URI, DeliveryMode.EXACT);
        List<String> received = new ArrayList<>();
        for (Optional<String> next = dispatchTo(exact); next.isPresent(); next = dispatchTo(exact)) {
            received.add(next.get());
            scheduler.acknowledge(exact, 1, now);
        }
        assertEquals(List.of("a 0..0", "a 5..5 last", "b 0..0", "b 7..7 last"), received);
    }

    @Test
    void exact_tableWithAChunkOutToASharedClient_isLeasedOnlyOnceItIsBack() throws Exception {
        scheduler.coolDown(URI, Duration.ofMinutes(1)); // the shared client takes nothing more after its ack
        schedule(List.of(chunk("a", 0, 0), chunk("a", 1, 1)));
        Client shared = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("a 0..0", dispatchTo(shared).orElseThrow());
        Client exact = scheduler.register(URI, DeliveryMode.EXACT);
        assertTrue(dispatchTo(exact).isEmpty());
        scheduler.acknowledge(shared, 1, now);
        Map<Client, String> sent = dispatch();
        assertEquals("a 1..1 last", sent.get(exact), "the exact client leases what is left of the table");
        assertFalse(sent.containsKey(shared));
    }

    @Test
    void stop_dropsTheChunksOut_andTheirLateAnswerIsIgnored_evenUnderANewSchedule() throws Exception {
        schedule(pages("t", 2));
        Client client = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("t 0..0", dispatchTo(client).orElseThrow());
        assertTrue(scheduler.stop(URI));
        assertFalse(store.has(URI));
        assertTrue(scheduler.progress(URI).isEmpty());

        schedule(pages("u", 2));
        assertTrue(dispatchTo(client).isEmpty(), "the client has not answered its dropped chunk yet");
        scheduler.acknowledge(client, 99, now); // the answer to t 0..0
        assertEquals(0, progress().done(), "the late answer does not count for the new schedule");
        assertEquals("u 0..0", dispatchTo(client).orElseThrow());
        assertFalse(scheduler.stop("nothing-here"));
    }

    @Test
    void progress_countsDoneInFlightPendingRetriesAndRows() throws Exception {
        schedule(pages("t", 5));
        Client a = scheduler.register(URI, DeliveryMode.SHARED);
        Client b = scheduler.register(URI, DeliveryMode.SHARED);
        dispatch();
        scheduler.acknowledge(a, 1000, now);
        scheduler.requeue(b, "no", now);
        dispatch();
        Scheduler.Progress p = progress();
        assertEquals(5, p.total());
        assertEquals(1, p.done());
        assertEquals(2, p.inFlight(), "a holds t 2..2, b t 3..3");
        assertEquals(2, p.pending(), "t 1..1 backs off, t 4..4 waits");
        assertEquals(1, p.retries());
        assertEquals(1000, p.rows());
        assertFalse(p.finished());
    }

    @Test
    void restart_chunksOutAreHandedOutAgain_acknowledgedOnesAndCompletedTablesNever() throws Exception {
        schedule(List.of(chunk("a", 0, 0), chunk("b", 0, 0), chunk("b", 1, 1), chunk("c", 0, 0), chunk("c", 1, 1)));
        Client shared = scheduler.register(URI, DeliveryMode.SHARED);
        assertEquals("a 0..0", dispatchTo(shared).orElseThrow());
        scheduler.acknowledge(shared, 1, now);   // a: done
        assertEquals("b 0..0", dispatchTo(shared).orElseThrow()); // b 0..0 in flight at the "crash"
        scheduler.disconnect(shared, now);
        after(Duration.ofSeconds(1));
        Client exact = scheduler.register(URI, DeliveryMode.EXACT);
        assertEquals("b 0..0", dispatchTo(exact).orElseThrow());
        scheduler.acknowledge(exact, 1, now);
        assertEquals("b 1..1 last", dispatchTo(exact).orElseThrow());
        scheduler.acknowledge(exact, 1, now);   // b: completed
        assertEquals("c 0..0", dispatchTo(exact).orElseThrow());
        scheduler.acknowledge(exact, 1, now);   // c 0..0: provisional
        assertEquals("c 1..1 last", dispatchTo(exact).orElseThrow()); // out at the crash

        scheduler = Scheduler.recover(store, BACKOFF); // the controller restarts on the same store
        assertEquals(3, progress().done());
        assertEquals(2, progress().pending());
        assertEquals(0, progress().inFlight());
        Client again = scheduler.register(URI, DeliveryMode.SHARED);
        List<String> received = new ArrayList<>();
        for (Optional<String> next = dispatchTo(again); next.isPresent(); next = dispatchTo(again)) {
            received.add(next.get());
            scheduler.acknowledge(again, 1, now);
        }
        assertEquals(List.of("c 0..0", "c 1..1"), received, "only the unfinished table, whole");
        assertTrue(progress().finished());
    }

    @Test
    void storeFailure_changesNothingInMemory() throws Exception {
        schedule(pages("t", 2));
        Client client = scheduler.register(URI, DeliveryMode.SHARED);
        store.failWrites(true);
        assertThrows(StoreException.class, () -> scheduler.dispatch(now));
        assertEquals(0, progress().inFlight(), "a chunk is handed out only once the store has it");
        store.failWrites(false);
        assertEquals("t 0..0", dispatchTo(client).orElseThrow());
    }
}
