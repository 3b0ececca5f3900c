package dev.pgcapture.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.seed.SeedResult;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replica path end to end with the real pieces: {@code seed} of a source that already holds
 * data, then pg2pulsar's topic applied by pulsar2pg; the replica must equal the source table by
 * table, in structure and rows.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class ReplicaSeedApplyIT {

    private static final int WRITERS = 8;

    @Test
    void seedThen10000MixedTransactions_replicaEqualsSource(TestDatabase source, TestDatabase replica, TestPulsar pulsar)
            throws Exception {
        source.execute(MixedWorkload.DDL);
        long seed = System.nanoTime();
        System.out.println("seed+apply mixed workload seed " + seed);
        MixedWorkload workload = new MixedWorkload(source, seed);
        workload.run(500, -1);
        try (ReplicaPipeline pipeline = ReplicaPipeline.start(source, replica, pulsar)) {
            pipeline.assertReplicaEqualsSource();
            assertTrue(ReplicaFixture.rows(replica, "public.accounts").size() > 50, "seed copied the rows written before it");

            long started = System.nanoTime();
            workload.run(10_000, 6_000);
            Checkpoint last = pipeline.awaitCaughtUp();
            System.out.println("seed+apply: 10,000 mixed source transactions written and applied in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");

            pipeline.assertReplicaEqualsSource();
            assertEquals(last, pipeline.position().checkpoint(), "pgcapture.sources holds the topic's last Commit");
        }
    }

    @Test
    void seedWhile8WritersCommit_replicaEqualsSourceAfterCatchUp(TestDatabase source, TestDatabase replica, TestPulsar pulsar)
            throws Exception {
        source.execute("CREATE TABLE events (id bigint PRIMARY KEY, writer int NOT NULL, n int NOT NULL)",
                "CREATE TABLE journal (writer int NOT NULL, seq int NOT NULL, note text)", "ALTER TABLE journal REPLICA IDENTITY FULL",
                "CREATE TABLE counters (writer int PRIMARY KEY, n int NOT NULL)",
                "INSERT INTO counters SELECT g, 0 FROM generate_series(0, " + (WRITERS - 1) + ") g");
        try (ReplicaPipeline pipeline = ReplicaPipeline.capture(source, replica, pulsar)) {
            AtomicInteger transactions = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            SeedResult seeded;
            try {
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> write(source, writer, transactions, stop)));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> transactions.get() >= 300);
                seeded = pipeline.seed();
                int atSeedEnd = transactions.get();
                await().atMost(Duration.ofSeconds(60)).until(() -> transactions.get() >= atSeedEnd + 300);
                pipeline.startApplier();
                int atApplierStart = transactions.get();
                await().atMost(Duration.ofSeconds(60)).until(() -> transactions.get() >= atApplierStart + 300);
            } finally {
                stop.set(true);
                for (Future<?> f : writers) {
                    f.get();
                }
                pool.shutdown();
            }
            Checkpoint last = pipeline.awaitCaughtUp();
            System.out.println("seed under 8 writers: cp " + seeded.consistentPoint() + ", " + transactions.get()
                    + " writer transactions in all");

            Lsn cp = seeded.consistentPoint();
            assertTrue(pipeline.position().seededLsn().orElseThrow().equals(cp), "the replica records the consistent point");
            assertTrue(last.lsn().isAfter(cp), "transactions committed after the consistent point came from the topic");
            pipeline.assertReplicaEqualsSource();
            assertEquals(last, pipeline.position().checkpoint());
            assertEquals(transactions.get(), sum(replica, "SELECT sum(n) FROM counters"),
                    "each writer transaction counted once on the replica");
            assertEquals(transactions.get(), sum(replica, "SELECT count(*) FROM journal"),
                    "each writer transaction's journal row (no primary key) once on the replica");
        }
    }

    /**
     * One writer: each transaction inserts an event, updates one of the writer's earlier events,
     * sometimes deletes another, appends a journal row (a table without a primary key, where a
     * transaction applied twice leaves a duplicate) and bumps the writer's counter.
     */
    private static Void write(TestDatabase db, int writer, AtomicInteger transactions, AtomicBoolean stop) throws Exception {
        Random random = new Random(writer);
        List<Long> mine = new ArrayList<>();
        long next = (long) writer << 32;
        int seq = 0;
        try (Connection c = db.connect();
                PreparedStatement insert = c.prepareStatement("INSERT INTO events VALUES (?, ?, 0)");
                PreparedStatement update = c.prepareStatement("UPDATE events SET n = n + 1 WHERE id = ?");
                PreparedStatement delete = c.prepareStatement("DELETE FROM events WHERE id = ?");
                PreparedStatement journal = c.prepareStatement("INSERT INTO journal VALUES (?, ?, 'tx')");
                PreparedStatement bump = c.prepareStatement("UPDATE counters SET n = n + 1 WHERE writer = ?")) {
            c.setAutoCommit(false);
            while (!stop.get()) {
                long id = next++;
                insert.setLong(1, id);
                insert.setInt(2, writer);
                insert.executeUpdate();
                update.setLong(1, mine.isEmpty() ? id : mine.get(random.nextInt(mine.size())));
                update.executeUpdate();
                if (mine.size() > 5 && random.nextInt(4) == 0) {
                    delete.setLong(1, mine.remove(random.nextInt(mine.size())));
                    delete.executeUpdate();
                }
                mine.add(id);
                journal.setInt(1, writer);
                journal.setInt(2, seq++);
                journal.executeUpdate();
                bump.setInt(1, writer);
                bump.executeUpdate();
                c.commit();
                transactions.incrementAndGet();
            }
        }
        return null;
    }

    private static int sum(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }
}
