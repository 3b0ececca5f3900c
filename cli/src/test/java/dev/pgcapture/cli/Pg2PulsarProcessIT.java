package dev.pgcapture.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The capture agent as its own process ({@code java -jar pgcapture.jar pg2pulsar}), against a
 * real PostgreSQL and a real Pulsar broker: killed with SIGKILL mid-stream, stopped with
 * SIGTERM, and started twice on one topic.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class Pg2PulsarProcessIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration DRAIN = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(25);

    /** The slot's state in {@code pg_replication_slots}. */
    private record SlotState(Integer activePid, Lsn confirmedFlush) {
    }

    /** One agent process of a test, on the test's topic and slot. */
    private record Agents(TestDatabase db, TestPulsar pulsar, String slot, String topic, String label) {

        List<String> args(String slotName) {
            return List.of("pg2pulsar", "--pg-url", db.jdbcUrl(), "--slot", slotName, "--topic", topic,
                    "--pulsar-url", pulsar.serviceUrl(), "--pulsar-admin-url", pulsar.httpUrl());
        }
    }

    @Test
    void pg2pulsar_killedThreeTimesDuringA50000RowStream_topicHoldsEveryChangeExactlyOnceInOrder(TestDatabase db, TestPulsar pulsar)
            throws Exception {
        int rows = 50_000;
        String slot = db.uniqueName("slot");
        db.execute(RowWorkload.TABLE_DDL);
        init(db, slot);
        Agents agents = new Agents(db, pulsar, slot, pulsar.newTopic(), "kill");
        long seed = System.nanoTime();
        System.out.println("kill test: workload seed " + seed + ", topic " + agents.topic());
        RowWorkload workload = new RowWorkload(db, rows, 6_000, seed, () -> slotState(db, slot).confirmedFlush());
        List<String> kills = new ArrayList<>();
        List<JarProcess> processes = new ArrayList<>();
        ExecutorService writerThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("row-writer").factory());
        try {
            JarProcess agent = startAgent(agents, processes, null);
            Future<Lsn> writer = writerThread.submit(workload::run);

            // 1: steady streaming, a fifth of the way in.
            awaitConfirmedRows(db, slot, workload, 10_000, writer);
            Integer walsender = slotState(db, slot).activePid();
            kills.add(kill(agent, agents, workload, "steady streaming"));
            agent = startAgent(agents, processes, walsender);

            // 2: once the restarted agent has published at least 1,000 messages: in the middle of its
            // catch-up through the backlog (up to the writer's window) written while no agent ran.
            long published = topicMessages(pulsar, agents.topic());
            await("1,000 more messages in the topic").atMost(DRAIN).pollInterval(Duration.ofMillis(5))
                    .until(() -> topicMessages(pulsar, agents.topic()) >= published + 1_000);
            walsender = slotState(db, slot).activePid();
            kills.add(kill(agent, agents, workload, "restarted agent catching up, 1,000 messages after its start"));
            agent = startAgent(agents, processes, walsender);

            // 3: late in the stream.
            awaitConfirmedRows(db, slot, workload, 35_000, writer);
            walsender = slotState(db, slot).activePid();
            kills.add(kill(agent, agents, workload, "steady streaming, late"));
            agent = startAgent(agents, processes, walsender);

            Lsn end = writer.get();
            await("slot " + slot + " confirmed up to " + end + ", the WAL insert position after the last write")
                    .atMost(DRAIN).pollInterval(POLL)
                    .until(() -> !slotState(db, slot).confirmedFlush().isBefore(end));
            kills.forEach(kill -> System.out.println("kill test: " + kill));

            List<TopicTransactions.Transaction> topic = TopicTransactions.read(pulsar.client(), agents.topic());
            assertSameTransactions(workload.written(), topic);
            assertEachIdInsertedOnce(topic, rows);
            assertTopicReplaysToTheTable(db, topic);
            processes.forEach(process -> System.out.println("kill test: " + process.name() + " " + resumePoint(process, topic)));

            agent.terminate();
            int status = agent.awaitExit(Duration.ofSeconds(60));
            assertTrue(status == 0 || status == JarProcess.TERMINATED, "exit status after SIGTERM: " + status + "\n" + agent.stderr());
        } finally {
            writerThread.shutdownNow();
            for (JarProcess process : processes) {
                process.close();
            }
            dropSlot(db, slot);
        }
    }

    @Test
    void pg2pulsar_onSigterm_publishesConfirmsAndExitsCleanly(TestDatabase db, TestPulsar pulsar) throws Exception {
        String slot = db.uniqueName("slot");
        db.execute(RowWorkload.TABLE_DDL);
        init(db, slot);
        Agents agents = new Agents(db, pulsar, slot, pulsar.newTopic(), "sigterm");
        List<JarProcess> processes = new ArrayList<>();
        try {
            JarProcess agent = startAgent(agents, processes, null);
            long lastXid = 0;
            for (int transaction = 0; transaction < 3; transaction++) {
                lastXid = insertRows(db, transaction * 100 + 1, 100);
            }
            long xid = lastXid;
            await("the topic holding the Commit of the last transaction (xid " + xid + ")").atMost(START).pollInterval(POLL)
                    .until(() -> TopicTransactions.holdsCommitOf(pulsar.client(), agents.topic(), xid));
            Lsn confirmedBefore = slotState(db, slot).confirmedFlush();

            long stopStarted = System.nanoTime();
            agent.terminate();
            int status = agent.awaitExit(Duration.ofSeconds(75));
            Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStarted);
            String stderr = agent.stderr();
            assertTrue(status == 0 || status == JarProcess.TERMINATED, "exit status after SIGTERM: " + status + "\n" + stderr);
            assertTrue(stderr.contains("Closed producer " + "pgcapture-" + agents.topic().substring(agents.topic().lastIndexOf('/') + 1)),
                    "no clean close of the producer in stderr:\n" + stderr);
            assertTrue(stderr.lines().anyMatch(line -> line.contains("AgentRunner - pg2pulsar (slot " + slot) && line.endsWith(") stopped")),
                    "no clean stop of the agent in stderr:\n" + stderr);
            assertFalse(stderr.lines().anyMatch(line -> line.contains(" ERROR ")), "errors while stopping:\n" + stderr);

            List<TopicTransactions.Transaction> topic = TopicTransactions.read(pulsar.client(), agents.topic());
            assertEquals(3, topic.size(), "transactions in the topic");
            Lsn lastEnd = topic.getLast().endLsn();
            await("slot " + slot + " released").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                    .until(() -> slotState(db, slot).activePid() == null);
            Lsn confirmed = slotState(db, slot).confirmedFlush();
            assertFalse(confirmed.isBefore(lastEnd), "slot " + slot + " confirmed up to " + confirmed
                    + ", before the end " + lastEnd + " of the last transaction the topic holds");
            System.out.println("sigterm test: exit status " + status + " after " + stopTook.toMillis() + " ms; slot confirmed "
                    + confirmedBefore + " before SIGTERM, " + confirmed + " after; last commit ends at " + lastEnd);
        } finally {
            for (JarProcess process : processes) {
                process.close();
            }
            dropSlot(db, slot);
        }
    }

    @Test
    void pg2pulsar_secondAgentOnTheSameTopic_failsAtStartWithAClearMessage(TestDatabase db, TestPulsar pulsar) throws Exception {
        String slot = db.uniqueName("slot");
        String otherSlot = db.uniqueName("other");
        db.execute(RowWorkload.TABLE_DDL);
        init(db, slot);
        init(db, otherSlot);
        Agents agents = new Agents(db, pulsar, slot, pulsar.newTopic(), "rival");
        List<JarProcess> processes = new ArrayList<>();
        try {
            JarProcess first = startAgent(agents, processes, null);
            List<String> firstProducer = publishers(pulsar, agents.topic());
            assertEquals(1, firstProducer.size(), "producers on the topic while the first agent runs: " + firstProducer);

            JarProcess second = JarProcess.start("rival-second-" + System.currentTimeMillis(), agents.args(otherSlot));
            processes.add(second);
            int status = second.awaitExit(START);
            String stderr = second.stderr();
            assertEquals(1, status, "exit status of the second agent on topic " + agents.topic() + "; stderr:\n" + stderr);
            assertTrue(stderr.contains("pg2pulsar stopped: topic " + agents.topic() + " already has a producer"),
                    "the second agent's stderr does not say why it stopped:\n" + stderr);
            assertEquals(null, slotState(db, otherSlot).activePid(), "the second agent left slot " + otherSlot + " active");

            // The first agent kept the topic and still captures.
            assertTrue(first.isAlive(), "the first agent died when the second one started:\n" + first.stderr());
            assertEquals(firstProducer, publishers(pulsar, agents.topic()), "producers on the topic after the second agent's attempt");
            long xid = insertRows(db, 1, 10);
            await("the first agent publishing a transaction after the second one's attempt").atMost(START).pollInterval(POLL)
                    .until(() -> TopicTransactions.holdsCommitOf(pulsar.client(), agents.topic(), xid));
            first.terminate();
            first.awaitExit(Duration.ofSeconds(75));
        } finally {
            for (JarProcess process : processes) {
                process.close();
            }
            dropSlot(db, slot);
            dropSlot(db, otherSlot);
        }
    }

    /** Inserts rows {@code first…first+count-1} in one transaction; returns its 32-bit xid. */
    private static long insertRows(TestDatabase db, long first, int count) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            long xid;
            try (Statement s = c.createStatement(); ResultSet row = s.executeQuery("SELECT pg_current_xact_id()::text")) {
                row.next();
                xid = Long.parseLong(row.getString(1)) & 0xFFFF_FFFFL;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO items (id, n, payload) VALUES (?, ?, ?)")) {
                for (long id = first; id < first + count; id++) {
                    insert.setLong(1, id);
                    insert.setInt(2, (int) id);
                    insert.setString(3, "row " + id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
            return xid;
        }
    }

    private static final Pattern RESUMING = Pattern.compile("started, resuming after (\\S+)\\|([0-9a-f]+)");

    /** Where an agent resumed, per its log: after a whole transaction, or inside one (a kill cut it short). */
    private static String resumePoint(JarProcess agent, List<TopicTransactions.Transaction> topic) {
        Matcher resuming = RESUMING.matcher(agent.stderr());
        if (!resuming.find()) {
            return "started on an empty topic";
        }
        Lsn lsn = Lsn.parse(resuming.group(1));
        int seq = Integer.parseInt(resuming.group(2), 16);
        return topic.stream().filter(transaction -> transaction.commitLsn().equals(lsn)).findFirst()
                .map(transaction -> seq == transaction.changes().size() + 1
                        ? "resumed after the Commit of the transaction at " + lsn
                        : "resumed inside the transaction at " + lsn + ", after message " + seq + " of " + (transaction.changes().size() + 2))
                .orElse("resumed after " + lsn + "|" + seq + ", which the topic does not hold");
    }

    /** Messages published to the topic since the broker loaded it. */
    private static long topicMessages(TestPulsar pulsar, String topic) throws Exception {
        return pulsar.admin().topics().getStats(topic).getMsgInCounter();
    }

    /** The topic's producers, as name@address. */
    private static List<String> publishers(TestPulsar pulsar, String topic) throws Exception {
        return pulsar.admin().topics().getStats(topic).getPublishers().stream()
                .map(publisher -> publisher.getProducerName() + "@" + publisher.getAddress()).toList();
    }

    /**
     * Starts an agent and waits until it streams: the slot is active under a walsender other
     * than {@code previousWalsender}, which the agent opens after its producer. A start that
     * fails because the broker still holds a killed agent's producer is retried, as a
     * supervisor would, and reported.
     */
    private static JarProcess startAgent(Agents agents, List<JarProcess> processes, Integer previousWalsender) throws Exception {
        for (int attempt = 1; attempt <= 5; attempt++) {
            JarProcess agent = JarProcess.start(agents.label() + "-" + processes.size() + "-" + System.currentTimeMillis(), agents.args(agents.slot()));
            processes.add(agent);
            await(agent.name() + " streaming slot " + agents.slot()).atMost(START).pollInterval(POLL).until(() -> {
                Integer pid = slotState(agents.db(), agents.slot()).activePid();
                return !agent.isAlive() || (pid != null && !pid.equals(previousWalsender));
            });
            if (agent.isAlive()) {
                return agent;
            }
            int status = agent.awaitExit(Duration.ofSeconds(10));
            String stderr = agent.stderr();
            if (status == 1 && stderr.contains("already has a producer")) {
                System.out.println("kill test: " + agent.name() + " found the killed agent's producer still on the broker; starting again");
                continue;
            }
            fail(agent.name() + " exited with status " + status + " before streaming:\n" + stderr);
        }
        throw new AssertionError("no agent could start on topic " + agents.topic() + " in 5 attempts");
    }

    private static String kill(JarProcess agent, Agents agents, RowWorkload workload, String when) throws Exception {
        int confirmedRows = workload.insertedUpTo(slotState(agents.db(), agents.slot()).confirmedFlush());
        int inserted = workload.inserted();
        long messages = topicMessages(agents.pulsar(), agents.topic());
        int status = agent.kill();
        assertEquals(JarProcess.KILLED, status, agent.name() + " was not ended by SIGKILL");
        return "SIGKILL " + agent.name() + " (" + when + "): slot confirmed about " + confirmedRows + " rows, writer at "
                + inserted + " rows, " + messages + " messages published to the topic";
    }

    private static void awaitConfirmedRows(TestDatabase db, String slot, RowWorkload workload, int rows, Future<Lsn> writer) {
        await("slot " + slot + " confirmed " + rows + " rows").atMost(DRAIN).pollInterval(POLL).until(() -> {
            if (writer.isDone()) {
                writer.get(); // rethrows the writer's failure
                fail("the writer finished before the slot confirmed " + rows + " rows: no kill happened during the stream");
            }
            return workload.insertedUpTo(slotState(db, slot).confirmedFlush()) >= rows;
        });
    }

    private static void assertSameTransactions(List<RowWorkload.Written> written, List<TopicTransactions.Transaction> topic) {
        for (int i = 0; i < Math.min(written.size(), topic.size()); i++) {
            RowWorkload.Written expected = written.get(i);
            TopicTransactions.Transaction actual = topic.get(i);
            assertEquals(expected.xid(), actual.xid(), "xid of transaction " + i + " of the topic (commit LSN " + actual.commitLsn()
                    + "): a transaction is missing, repeated or out of order");
            assertEquals(expected.changes(), actual.changes(), "changes of transaction " + i + " (xid " + expected.xid() + ")");
        }
        assertEquals(written.size(), topic.size(), "transactions in the topic");
    }

    private static void assertEachIdInsertedOnce(List<TopicTransactions.Transaction> topic, int rows) {
        int[] inserts = new int[rows + 1];
        String prefix = "public.items INSERT id=";
        for (TopicTransactions.Transaction transaction : topic) {
            for (String change : transaction.changes()) {
                if (change.startsWith(prefix)) {
                    long id = ByteBuffer.wrap(HexFormat.of().parseHex(change, prefix.length(), prefix.length() + 16)).getLong();
                    assertTrue(id >= 1 && id <= rows, "inserted id " + id + " out of range");
                    inserts[(int) id]++;
                }
            }
        }
        for (int id = 1; id <= rows; id++) {
            assertEquals(1, inserts[id], "INSERTs of id " + id + " in the topic");
        }
    }

    /** Applying the topic's changes in order gives the table's rows, byte for byte. */
    private static void assertTopicReplaysToTheTable(TestDatabase db, List<TopicTransactions.Transaction> topic) throws SQLException {
        Map<String, String> replayed = new TreeMap<>();
        for (TopicTransactions.Transaction transaction : topic) {
            for (String change : transaction.changes()) {
                String[] parts = change.split(" ", 3); // table, op, values
                String id = parts[2].split(" ")[0];
                switch (parts[1]) {
                    case "INSERT", "UPDATE" -> replayed.put(id, parts[2]);
                    case "DELETE" -> assertTrue(replayed.remove(id) != null, "DELETE of a row not in the topic: " + change);
                    default -> fail("unexpected change " + change);
                }
            }
        }
        Map<String, String> table = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT encode(int8send(id), 'hex'), encode(int4send(n), 'hex'),"
                     + " encode(convert_to(payload, 'UTF8'), 'hex') FROM items")) {
            while (row.next()) {
                table.put("id=" + row.getString(1), "id=" + row.getString(1) + " n=" + row.getString(2) + " payload=" + row.getString(3));
            }
        }
        assertEquals(table.size(), replayed.size(), "rows in the table vs rows the topic replays to");
        for (Map.Entry<String, String> entry : table.entrySet()) {
            assertEquals(entry.getValue(), replayed.get(entry.getKey()), "row " + entry.getKey() + " replayed from the topic");
        }
    }

    static void init(TestDatabase db, String slot) throws SQLException {
        try (Connection c = db.connect()) {
            new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(slot)).init(c);
        }
    }

    private static SlotState slotState(TestDatabase db, String slot) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement(
                     "SELECT active_pid, confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet row = s.executeQuery()) {
                assertTrue(row.next(), "slot " + slot + " does not exist");
                return new SlotState((Integer) row.getObject(1), Lsn.parse(row.getString(2)));
            }
        }
    }

    private static void dropSlot(TestDatabase db, String slot) throws SQLException {
        // The walsender of a killed agent may linger a moment.
        await("slot " + slot + " inactive").atMost(Duration.ofSeconds(60)).pollInterval(POLL)
                .until(() -> slotState(db, slot).activePid() == null);
        db.execute("SELECT pg_drop_replication_slot('" + slot + "')");
    }
}
