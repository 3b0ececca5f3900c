package dev.pgcapture.agent;

import static dev.pgcapture.agent.CaptureFixture.field;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture.Transaction;
import dev.pgcapture.agent.seed.SeedResult;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.proto.Change;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's boundary under concurrent writers, checked against what pg2pulsar captured: the
 * replica holds exactly the transactions whose commit LSN is before the consistent point, so the
 * topic supplies exactly the rest.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class SeedBoundaryIT {

    private static final int WRITERS = 8;

    @Test
    void seedWhileEightWritersCommit_replicaHoldsExactlyTheTransactionsCommittedBeforeTheConsistentPoint(TestDatabase source,
            TestDatabase replica, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE events (id bigint PRIMARY KEY, writer int NOT NULL)",
                "CREATE TABLE counters (writer int PRIMARY KEY, n int NOT NULL)",
                "INSERT INTO counters SELECT g, 0 FROM generate_series(0, " + (WRITERS - 1) + ") g");
        try (CaptureFixture capture = CaptureFixture.start(source, pulsar)) {
            AtomicLong ids = new AtomicLong();
            Set<Long> committed = new ConcurrentSkipListSet<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> write(source, writer, ids, committed, stop)));
            }
            SeedResult seed;
            int committedAfterSeed;
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> committed.size() >= 300);
                seed = new Seeder(SeedSettings.of(PostgresUrl.parse(source.jdbcUrl()), PostgresUrl.parse(replica.jdbcUrl())),
                        line -> { }).run();
                int atSeedEnd = committed.size();
                await().atMost(Duration.ofSeconds(60)).until(() -> committed.size() >= atSeedEnd + 300);
            } finally {
                stop.set(true);
                for (Future<?> f : writers) {
                    f.get();
                }
                pool.shutdown();
            }
            committedAfterSeed = committed.size();
            Lsn cp = seed.consistentPoint();

            // Every committed transaction, read back from the topic with its commit LSN.
            Map<Long, Lsn> commitLsnById = new HashMap<>();
            Map<Integer, Integer> beforeCpByWriter = new TreeMap<>();
            for (int w = 0; w < WRITERS; w++) {
                beforeCpByWriter.put(w, 0);
            }
            while (commitLsnById.size() < committedAfterSeed) {
                Transaction tx = capture.nextTransaction();
                Lsn commitLsn = new Lsn(tx.commit().message().getCommit().getCommitLsn());
                for (Change change : tx.rowChanges()) {
                    if (change.getTable().equals("events")) {
                        long id = field(change.getNewList(), "id").getBinary().asReadOnlyByteBuffer().getLong();
                        int writer = field(change.getNewList(), "writer").getBinary().asReadOnlyByteBuffer().getInt();
                        commitLsnById.put(id, commitLsn);
                        if (commitLsn.isBefore(cp)) {
                            beforeCpByWriter.merge(writer, 1, Integer::sum);
                        }
                    }
                }
            }
            assertEquals(new TreeSet<>(committed), new TreeSet<>(commitLsnById.keySet()), "the topic holds every committed transaction");
            Set<Long> expected = new TreeSet<>();
            commitLsnById.forEach((id, lsn) -> {
                if (lsn.isBefore(cp)) {
                    expected.add(id);
                }
            });
            System.out.println("seed boundary: cp " + cp + ", " + expected.size() + " of " + committed.size()
                    + " writer transactions committed before it");
            assertFalse(expected.isEmpty(), "transactions committed before cp " + cp);
            assertTrue(expected.size() < committed.size(), "transactions committed at or after cp " + cp);

            assertEquals(expected, replicaIds(replica), "the replica holds exactly the transactions with commit LSN < cp " + cp);
            assertEquals(beforeCpByWriter, replicaCounters(replica), "each writer's counter counts its transactions before cp");
        }
    }

    /** One writer: each transaction inserts a row with a fresh id and bumps the writer's counter. */
    private static Void write(TestDatabase db, int writer, AtomicLong ids, Set<Long> committed, AtomicBoolean stop) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO events VALUES (?, ?)");
             PreparedStatement bump = c.prepareStatement("UPDATE counters SET n = n + 1 WHERE writer = ?")) {
            c.setAutoCommit(false);
            while (!stop.get()) {
                long id = ids.incrementAndGet();
                insert.setLong(1, id);
                insert.setInt(2, writer);
                insert.executeUpdate();
                bump.setInt(1, writer);
                bump.executeUpdate();
                c.commit();
                committed.add(id);
            }
        }
        return null;
    }

    private static Set<Long> replicaIds(TestDatabase replica) throws Exception {
        Set<Long> ids = new TreeSet<>();
        try (Connection c = replica.connect(); ResultSet r = c.createStatement().executeQuery("SELECT id FROM events")) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    private static Map<Integer, Integer> replicaCounters(TestDatabase replica) throws Exception {
        Map<Integer, Integer> counters = new TreeMap<>();
        try (Connection c = replica.connect(); ResultSet r = c.createStatement().executeQuery("SELECT writer, n FROM counters")) {
            while (r.next()) {
                counters.put(r.getInt(1), r.getInt(2));
            }
        }
        return counters;
    }
}
