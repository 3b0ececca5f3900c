package dev.pgcapture.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture;
import dev.pgcapture.agent.ReplicaPipeline;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.TableName;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two consumers sharing one URI in shared mode (pgcapture's semantics): every change reaches one
 * of them at least once, requeues included (redelivered by the subscription, to either), and a
 * store both write to, keeping the highest version of each row, converges to the source,
 * including the rows of a dump whose chunks went to either consumer (each chunk in a snapshot of
 * its own: a row that moves while the table is dumped may be missed by the dump, and is brought
 * by its change).
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class SharedModeIT {

    private static final int ROWS = 5_000;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void twoSharedConsumers_everyChangeAtLeastOnce_andTheSharedStoreConvergesToTheSource(TestDatabase source, TestDatabase replica,
            TestDatabase store, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY, version bigint NOT NULL, pad text NOT NULL)",
                "INSERT INTO items SELECT i, 0, repeat('x', 40) FROM generate_series(1, " + ROWS + ") i");
        Map<Integer, Long> converged = new ConcurrentHashMap<>();
        Set<Checkpoint> delivered = ConcurrentHashMap.newKeySet();
        Map<String, Long> dumpRowsByConsumer = new ConcurrentHashMap<>();
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar);
                GatewayStack stack = GatewayStack.withDumps(pulsar, p.capture().topic(), p.agent().getChannel(), store)) {
            Random failures = new Random(11);
            AtomicBoolean requeuedRow = new AtomicBoolean();
            StubConsumer.Handler first = handler("first", converged, delivered, dumpRowsByConsumer, failures, requeuedRow);
            StubConsumer.Handler second = handler("second", converged, delivered, dumpRowsByConsumer, failures, requeuedRow);
            Map<String, Object> shared = Map.of("TableRegex", "^items$");
            try (StubConsumer a = StubConsumer.start(stack.channel, GatewayStack.URI, shared, 100, first);
                    StubConsumer b = StubConsumer.start(stack.channel, GatewayStack.URI, shared, 100, second)) {
                long updates;
                // Bursts, not a steady load: a shared-mode chunk is read no older than the consumer's last change,
                // and the agent refuses it while the replica is behind that, so the replica must catch up at times.
                try (SourceUpdater before = new SourceUpdater(source, ROWS, 10, 1000)) {
                    await("the first burst of updates").atMost(WAIT).until(() -> {
                        a.check();
                        b.check();
                        return before.done();
                    });
                    updates = before.committed();
                }
                try (SourceUpdater during = new SourceUpdater(source, ROWS, 10, 1000)) {
                    stack.controller().scheduleTables(ScheduleTablesRequest.newBuilder().setUri(GatewayStack.URI)
                            .addTables(TableName.newBuilder().setSchema("public").setTable("items")).setPagesPerChunk(5).build());
                    await("the dump done").atMost(WAIT).until(() -> {
                        a.check();
                        b.check();
                        return during.done() && scheduleDone(stack);
                    });
                    updates += during.committed();
                }
                Map<Integer, Long> expected = SourceUpdater.versions(source);
                await("the shared store converged").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                    a.check();
                    b.check();
                    return converged.equals(expected);
                });
                Set<Checkpoint> inTopic = changesInTopic(p.capture(), p.lastCommit());
                Set<Checkpoint> missing = new HashSet<>(inTopic);
                missing.removeAll(delivered);
                assertTrue(missing.isEmpty(), missing.size() + " of " + inTopic.size() + " changes never reached a consumer");
                assertTrue(a.handled.get() > 0 && b.handled.get() > 0, "both consumers had their share: " + a.handled + " and " + b.handled);
                System.out.printf("shared mode, 2 consumers: %,d changes of %,d transactions all delivered (%,d and %,d handled, %d + %d"
                                + " requeued, one of them a dump row), dump rows by consumer %s; the store converged%n", inTopic.size(), updates,
                        a.handled.get(), b.handled.get(), a.requeued.get(), b.requeued.get(), dumpRowsByConsumer);
                assertEquals(expected, converged);
            }
        }
    }

    private static boolean scheduleDone(GatewayStack stack) {
        return stack.controller().listSchedules(ListSchedulesRequest.newBuilder().setUri(GatewayStack.URI).build()).getSchedulesList()
                .stream().allMatch(s -> s.getChunksDone() == s.getChunksTotal());
    }

    /**
     * Applies a change or dump row to the shared store when its version is newer than the store's;
     * requeues one change in 500 and the first dump row.
     */
    private static StubConsumer.Handler handler(String name, Map<Integer, Long> converged, Set<Checkpoint> delivered,
            Map<String, Long> dumpRows, Random failures, AtomicBoolean requeuedRow) {
        return (CaptureMessage message) -> {
            boolean row = message.getCheckpoint().getLsn() == 0;
            synchronized (failures) {
                // One change in 500 fails, and one dump row (which requeues its whole chunk).
                if (row ? requeuedRow.compareAndSet(false, true) : failures.nextInt(500) == 0) {
                    return "a simulated handler failure";
                }
            }
            Change change = message.getChange();
            int id = Materializer.int4(Materializer.field(change.getNewList(), "id"));
            long version = Materializer.int8(Materializer.field(change.getNewList(), "version"));
            converged.merge(id, version, Math::max);
            if (row) {
                dumpRows.merge(name, 1L, Long::sum);
            } else {
                delivered.add(Checkpoint.of(new dev.pgcapture.core.Lsn(message.getCheckpoint().getLsn()), message.getCheckpoint().getSeq()));
            }
            return null;
        };
    }

    /** The positions of every change to {@code items} in the topic, up to {@code last}. */
    private static Set<Checkpoint> changesInTopic(CaptureFixture capture, Checkpoint last) throws Exception {
        Set<Checkpoint> changes = new HashSet<>();
        while (true) {
            CaptureFixture.Transaction tx = capture.nextTransaction();
            Checkpoint commit = tx.commit().checkpoint();
            for (int i = 0; i < tx.changes().size(); i++) {
                if (tx.changes().get(i).getTable().equals("items")) {
                    changes.add(Checkpoint.of(commit.lsn(), i + 1));
                }
            }
            if (!last.isAfter(commit)) {
                return changes;
            }
        }
    }
}
