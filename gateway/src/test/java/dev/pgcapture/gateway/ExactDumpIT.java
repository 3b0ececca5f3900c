package dev.pgcapture.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.ReplicaPipeline;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ScheduleProgress;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.ScheduleTablesResponse;
import dev.pgcapture.proto.TableName;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An exact-mode dump through the whole system: PostgreSQL, pg2pulsar, Pulsar, pulsar2pg keeping a
 * replica, the agent, the controller and the gateway, with a consumer made from the generated
 * stubs. The source keeps updating the table while it is dumped, so that rows move between pages
 * on the replica; the consumer's copy must still see every row once per completed table, never a
 * version older than one it has seen, and end equal to the source.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class ExactDumpIT {

    private static final int ROWS = 50_000;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void exactDump_whileRowsMove_everyRowOnceAsOfOneLsn_neverOlderThanSeen_andTheCopyEqualsTheSource(TestDatabase source,
            TestDatabase replica, TestDatabase store, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY, version bigint NOT NULL, pad text NOT NULL)",
                "INSERT INTO items SELECT i, 0, repeat('x', 40) FROM generate_series(1, " + ROWS + ") i");
        Materializer copy = new Materializer("items");
        Random failures = new Random(7);
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar);
                GatewayStack stack = GatewayStack.withDumps(pulsar, p.capture().topic(), p.agent().getChannel(), store);
                SourceUpdater updater = new SourceUpdater(source, ROWS, 40);
                StubConsumer consumer = StubConsumer.start(stack.channel, GatewayStack.URI,
                        Map.of("Mode", "exact", "TableRegex", "^items$"), 500, message -> {
                            if (failures.nextInt(3000) == 0) {
                                return "a simulated handler failure";
                            }
                            copy.apply(message);
                            return null;
                        })) {
            await("changes flowing to the consumer").atMost(WAIT).until(() -> {
                consumer.check();
                return copy.changes() > 200;
            });
            Map<Integer, Long> pagesBefore = SourceUpdater.pages(replica);
            long began = System.nanoTime();
            ScheduleTablesResponse planned = stack.controller().scheduleTables(ScheduleTablesRequest.newBuilder()
                    .setUri(GatewayStack.URI).addTables(TableName.newBuilder().setSchema("public").setTable("items"))
                    .setPagesPerChunk(25).build());
            await("the table dumped").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                consumer.check();
                p.checkApplier();
                return completedSnapshot(copy).isPresent();
            });
            long dumpMillis = (System.nanoTime() - began) / 1_000_000;
            await("the schedule done").atMost(WAIT).until(() -> schedule(stack).map(s -> s.getChunksDone() == s.getChunksTotal())
                    .orElse(true));
            Map<Integer, Long> pagesAfter = SourceUpdater.pages(replica);
            updater.close();

            Map<Integer, Long> expected = SourceUpdater.versions(source);
            await("the copy equal to the source").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                consumer.check();
                return copy.rows().equals(expected);
            });

            long snapshot = completedSnapshot(copy).orElseThrow();
            Map<Integer, Integer> dumped = copy.dumpedBySnapshot().get(snapshot);
            assertEquals(ROWS, dumped.size(), "every row of the table in the completed dump");
            assertTrue(dumped.values().stream().allMatch(n -> n == 1), "every row exactly once in the completed dump");
            copy.dumpedBySnapshot().forEach((lsn, rows) -> assertTrue(rows.values().stream().allMatch(n -> n == 1),
                    "no row twice in the dump at " + lsn));
            List<String> regressions = copy.regressions();
            assertTrue(regressions.isEmpty(), () -> regressions.size() + " times a row went back, e.g. "
                    + regressions.subList(0, Math.min(5, regressions.size())));
            long moved = pagesBefore.keySet().stream().filter(id -> !pagesBefore.get(id).equals(pagesAfter.get(id))).count();
            assertTrue(moved > 1000, "rows moved between pages on the replica during the dump: " + moved);
            assertTrue(consumer.requeued.get() > 0, "requeues were retried in place along the way");
            long rowsMillis = Math.max(1, copy.dumpSpan(snapshot).toMillis());
            System.out.printf("exact dump of %,d rows in %d chunks: %d ms from ScheduleTables to the last row (%,d rows/s), the rows"
                            + " themselves in %d ms (%,d rows/s); meanwhile %,d source transactions updated rows and %,d rows moved pages"
                            + " on the replica; the consumer handled %,d changes and %,d dump rows (%d snapshots), requeued %d messages"
                            + " and ignored %,d resent before their redelivery%n",
                    ROWS, planned.getDumpsCount(), dumpMillis, ROWS * 1000L / Math.max(1, dumpMillis), rowsMillis, ROWS * 1000L / rowsMillis,
                    updater.committed(), moved, copy.changes(), copy.dumpRows(), copy.dumpedBySnapshot().size(), consumer.requeued.get(),
                    consumer.ignored.get());
        }
    }

    /** The snapshot LSN of a dump that delivered the whole table, if one did. */
    private static Optional<Long> completedSnapshot(Materializer copy) {
        return copy.dumpedBySnapshot().entrySet().stream().filter(e -> e.getValue().size() == ROWS).map(Map.Entry::getKey).findFirst();
    }

    private static Optional<ScheduleProgress> schedule(GatewayStack stack) {
        return stack.controller().listSchedules(ListSchedulesRequest.newBuilder().setUri(GatewayStack.URI).build())
                .getSchedulesList().stream().findFirst();
    }
}
