package dev.pgcapture.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPostgres;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replica agent as its own process ({@code java -jar pgcapture.jar pulsar2pg}) behind a
 * pg2pulsar process, against a real PostgreSQL and Pulsar: killed with SIGKILL in the middle of
 * replica transactions while the source keeps writing, then stopped with SIGTERM.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class Pulsar2PgProcessIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration DRAIN = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final String APPLIER = "pgcapture pulsar2pg";

    @Test
    void pulsar2pg_killedThreeTimesMidBatchWhileTheSourceWrites_replicaEqualsSource_thenSigtermCommitsItsBatch(
            TestPostgres postgres, TestDatabase source, TestPulsar pulsar) throws Exception {
        int rows = 40_000;
        String slot = source.uniqueName("slot");
        String topic = pulsar.newTopic();
        source.execute(RowWorkload.TABLE_DDL);
        Pg2PulsarProcessIT.init(source, slot);
        TestDatabase replica = postgres.newDatabase();
        new Seeder(SeedSettings.of(PostgresUrl.parse(source.jdbcUrl()), PostgresUrl.parse(replica.jdbcUrl())), line -> { }).run();
        long seed = System.nanoTime();
        System.out.println("pulsar2pg kill test: workload seed " + seed + ", topic " + topic);
        // The writer stays at most 4,000 rows ahead of the replica, so it is still writing while appliers die.
        RowWorkload workload = new RowWorkload(source, rows, 4_000, seed, () -> applied(replica));
        List<JarProcess> processes = new ArrayList<>();
        ExecutorService writerThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("row-writer").factory());
        try {
            processes.add(JarProcess.start("pg2pulsar-" + System.currentTimeMillis(), List.of("pg2pulsar", "--pg-url", source.jdbcUrl(),
                    "--slot", slot, "--topic", topic, "--pulsar-url", pulsar.serviceUrl(), "--pulsar-admin-url", pulsar.httpUrl())));
            List<String> killPhase = args(replica, pulsar, topic, "1000", "2s");
            JarProcess applier = startApplier(replica, processes, killPhase);
            Future<Lsn> writer = writerThread.submit(workload::run);

            List<String> kills = new ArrayList<>();
            for (int threshold : new int[] {8_000, 18_000, 28_000}) {
                await("the replica applying " + threshold + " rows").atMost(DRAIN).pollInterval(POLL).until(() -> {
                    if (writer.isDone()) {
                        writer.get();
                        fail("the writer finished before the replica applied " + threshold + " rows");
                    }
                    return workload.insertedUpTo(applied(replica)) >= threshold;
                });
                await("the applier inside a replica transaction that has written rows").atMost(DRAIN).pollInterval(Duration.ofMillis(2))
                        .until(() -> applierHasWritten(replica));
                Lsn before = applied(replica);
                int status = applier.kill();
                assertEquals(JarProcess.KILLED, status, applier.name() + " was not ended by SIGKILL");
                kills.add("SIGKILL " + applier.name() + " mid-batch: replica at " + before + ", writer at " + workload.inserted() + " rows");
                applier = startApplier(replica, processes, killPhase);
            }

            Lsn end = writer.get();
            Lsn lastCommit = awaitApplied(source, slot, replica, pulsar, topic, end);
            kills.forEach(kill -> System.out.println("pulsar2pg kill test: " + kill));
            assertSameItems(source, replica);
            assertEquals(lastCommit, applied(replica), "the replica's checkpoint is the topic's last commit");

            // SIGTERM: an applier whose batch can only end by the stop commits it and exits cleanly.
            applier.kill();
            applier = startApplier(replica, processes, args(replica, pulsar, topic, "100000", "10m"));
            // One source transaction: the applier feeds it at its Commit and writes its runs once the topic goes
            // quiet, so the replica transaction has written once the whole transaction arrived.
            source.execute("BEGIN; INSERT INTO items VALUES (" + (rows + 1) + ", 1, 'a'), (" + (rows + 2) + ", 2, 'b'); "
                    + "DELETE FROM items WHERE id = " + (rows + 1) + "; UPDATE items SET n = 3 WHERE id = " + (rows + 2) + "; COMMIT");
            await("the applier inside a batch holding the new transaction").atMost(DRAIN).pollInterval(POLL).until(() -> applierHasWritten(replica));
            assertEquals(lastCommit, applied(replica), "nothing committed before SIGTERM");
            applier.terminate();
            int status = applier.awaitExit(Duration.ofSeconds(60));
            String stderr = applier.stderr();
            assertTrue(status == 0 || status == JarProcess.TERMINATED, "exit status after SIGTERM: " + status + "\n" + stderr);
            assertTrue(stderr.contains("committed the last batch"), "no commit of the last batch in stderr:\n" + stderr);
            assertFalse(stderr.lines().anyMatch(line -> line.contains(" ERROR ")), "errors while stopping:\n" + stderr);
            Lsn afterStop = applied(replica);
            assertEquals(TopicTransactions.read(pulsar.client(), topic).getLast().commitLsn(), afterStop,
                    "after SIGTERM the checkpoint is the last commit of the topic");
            assertSameItems(source, replica);
        } finally {
            writerThread.shutdownNow();
            for (JarProcess process : processes) {
                process.close();
            }
            await("slot " + slot + " inactive").atMost(Duration.ofSeconds(60)).pollInterval(POLL)
                    .until(() -> !source.slotActive(slot));
            source.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    private static List<String> args(TestDatabase replica, TestPulsar pulsar, String topic, String batchSize, String batchDelay) {
        return List.of("pulsar2pg", "--pg-url", replica.jdbcUrl(), "--pulsar-url", pulsar.serviceUrl(), "--topic", topic,
                "--batch-size", batchSize, "--batch-delay", batchDelay);
    }

    /**
     * Starts an applier and waits until it holds the replica. A start refused because the killed
     * applier's session has not ended yet is retried, as a supervisor would.
     */
    private static JarProcess startApplier(TestDatabase replica, List<JarProcess> processes, List<String> args) throws Exception {
        await("the previous applier's session gone").atMost(START).pollInterval(POLL).until(() -> applierSessions(replica) == 0);
        for (int attempt = 1; attempt <= 5; attempt++) {
            JarProcess applier = JarProcess.start("pulsar2pg-" + processes.size() + "-" + System.currentTimeMillis(), args);
            processes.add(applier);
            await(applier.name() + " holding the replica").atMost(START).pollInterval(POLL)
                    .until(() -> !applier.isAlive() || applierSessions(replica) == 1);
            if (applier.isAlive()) {
                return applier;
            }
            int status = applier.awaitExit(Duration.ofSeconds(10));
            if (status == 1 && applier.stderr().contains("another pgcapture applier or seed is writing to this replica")) {
                System.out.println("pulsar2pg kill test: " + applier.name() + " found the killed applier's session still open; starting again");
                continue;
            }
            fail(applier.name() + " exited with status " + status + " before applying:\n" + applier.stderr());
        }
        throw new AssertionError("no applier could start in 5 attempts");
    }

    /**
     * Waits until pg2pulsar has published everything up to {@code end} (its slot confirmed it) and
     * the replica has applied the topic's last commit; returns that commit's LSN.
     */
    private static Lsn awaitApplied(TestDatabase source, String slot, TestDatabase replica, TestPulsar pulsar, String topic, Lsn end)
            throws Exception {
        await("slot " + slot + " confirmed up to " + end).atMost(DRAIN).pollInterval(POLL).until(() -> !confirmedFlush(source, slot).isBefore(end));
        Lsn last = TopicTransactions.read(pulsar.client(), topic).getLast().commitLsn();
        await("the replica applying through " + last).atMost(DRAIN).pollInterval(POLL).until(() -> !applied(replica).isBefore(last));
        return last;
    }

    private static Lsn applied(TestDatabase replica) throws SQLException {
        try (Connection c = replica.connect()) {
            return ReplicaPosition.read(c).orElseThrow().checkpoint().lsn();
        }
    }

    private static int applierSessions(TestDatabase replica) throws SQLException {
        try (Connection c = replica.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '"
                     + APPLIER + "'")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Whether the applier's session is inside a replica transaction that has written (holds a transaction id). */
    private static boolean applierHasWritten(TestDatabase replica) throws SQLException {
        try (Connection c = replica.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '"
                     + APPLIER + "' AND backend_xid IS NOT NULL")) {
            r.next();
            return r.getInt(1) > 0;
        }
    }

    private static Lsn confirmedFlush(TestDatabase db, String slot) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            assertTrue(r.next(), "slot " + slot + " does not exist");
            return Lsn.parse(r.getString(1));
        }
    }


    private static void assertSameItems(TestDatabase source, TestDatabase replica) throws SQLException {
        List<String> expected = rows(source);
        List<String> actual = rows(replica);
        assertEquals(expected.size(), actual.size(), "rows of items on the replica");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "row " + i + " of items (by id) on the replica");
        }
    }

    private static List<String> rows(TestDatabase db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT x::text FROM items x ORDER BY id")) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }
}
