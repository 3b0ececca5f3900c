package dev.pgcapture.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.AgentDumpRequest;
import dev.pgcapture.proto.AgentGrpc;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.TableInfoRequest;
import dev.pgcapture.proto.TableInfoResponse;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPostgres;
import dev.pgcapture.testkit.TestPulsar;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureInit;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.proto.DBLogGatewayGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole system as the README tells a user to run it, each command the packaged jar in its own
 * process: {@code init} and {@code seed}, then {@code pg2pulsar} and {@code pulsar2pg --listen}; the
 * replica follows the source, and the Agent service on the listen address dumps it. Then
 * {@code controller} and {@code gateway}: a consumer made from the generated stubs receives a
 * live change through the gateway, and {@code schedule} dumps the table to it.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class ReplicaCommandsIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String ROWS = "SELECT id, name, mood::text FROM items ORDER BY id";

    @Test
    void readmePath_replicaFollowsTheSource_agentDumpsIt_andTheGatewayServesChangesAndAScheduledDump(
            TestPostgres postgres, TestDatabase source, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, mood mood)",
                "INSERT INTO items SELECT g, 'item ' || g, (ARRAY['sad', 'ok', 'happy']::mood[])[1 + g % 3] FROM generate_series(1, 1000) g");
        TestDatabase replica = postgres.newDatabase();
        String slot = source.uniqueName("slot");
        String topic = pulsar.newTopic();
        int port = JarProcess.freePort();
        List<JarProcess> processes = new ArrayList<>();
        try {
            run(processes, "init", List.of("init", "--pg-url", source.jdbcUrl(), "--slot", slot));
            JarProcess seed = run(processes, "seed", List.of("seed", "--source-url", source.jdbcUrl(), "--replica-url", replica.jdbcUrl()));
            assertTrue(seed.stdout().contains("1,000") || seed.stdout().contains("1000"), "seed reports its rows:\n" + seed.stdout());
            assertEquals(rows(source), rows(replica), "the seeded replica equals the source");

            processes.add(JarProcess.start("pg2pulsar-" + System.nanoTime(), List.of("pg2pulsar", "--pg-url", source.jdbcUrl(),
                    "--slot", slot, "--topic", topic, "--pulsar-url", pulsar.serviceUrl(), "--pulsar-admin-url", pulsar.httpUrl())));
            JarProcess applier = JarProcess.start("pulsar2pg-" + System.nanoTime(), List.of("pulsar2pg", "--pg-url", replica.jdbcUrl(),
                    "--pulsar-url", pulsar.serviceUrl(), "--topic", topic, "--source-url", source.jdbcUrl(), "--listen", "127.0.0.1:" + port));
            processes.add(applier);

            source.execute("INSERT INTO items SELECT g, 'item ' || g, 'ok' FROM generate_series(1001, 1500) g",
                    "UPDATE items SET name = name || ' (renamed)', mood = 'happy' WHERE id % 7 = 0",
                    "DELETE FROM items WHERE id % 11 = 0");
            List<String> expected = rows(source);
            await("the replica following the source").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> applier.isAlive() && expected.equals(rows(replica)));
            Lsn applied = applied(replica);

            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                AgentGrpc.AgentBlockingStub agent = AgentGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                TableInfoResponse info = agent.tableInfo(TableInfoRequest.newBuilder().setSchema("public").setTable("items").build());
                assertTrue(info.getExists(), "the Agent service knows the replica table");
                assertTrue(info.getPages() > 0, "pages of a table with rows: " + info.getPages());

                AtomicReference<Metadata> headers = new AtomicReference<>();
                Iterator<Change> rows = agent.withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()))
                        .streamDump(AgentDumpRequest.newBuilder().setMinLsn(applied.value()).setInfo(DumpInfoResponse.newBuilder()
                                .setSchema("public").setTable("items").setPageBegin(0).setPageEnd((int) info.getPages())).build());
                int dumped = 0;
                while (rows.hasNext()) {
                    Change row = rows.next();
                    assertEquals("items", row.getTable());
                    dumped++;
                }
                assertEquals(expected.size(), dumped, "the dump of the replica returns every row once");
                String snapshot = headers.get().get(Metadata.Key.of("pgcapture-snapshot-lsn", Metadata.ASCII_STRING_MARSHALLER));
                assertTrue(!Lsn.parse(snapshot).isBefore(applied), "snapshot " + snapshot + " is at least the applied " + applied);
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }

            serveAndDump(processes, postgres, port, pulsar, topic, source, expected.size());

            applier.terminate();
            int status = applier.awaitExit(Duration.ofSeconds(60));
            assertTrue(status == 0 || status == JarProcess.TERMINATED, "pulsar2pg exit status after SIGTERM: " + status + "\n" + applier.stderr());
            assertTrue(applier.stderr().contains("Agent gRPC service listening on 127.0.0.1:" + port), applier.stderr());
        } finally {
            for (JarProcess process : processes) {
                process.close();
            }
            await("slot " + slot + " inactive").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> !source.slotActive(slot));
            source.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    /**
     * Starts {@code controller} and {@code gateway} with a resolver file naming the replica's
     * agent; an exact-mode consumer receives an insert, then every row of {@code items} in a dump
     * that {@code schedule} requests and waits for.
     */
    private static void serveAndDump(List<JarProcess> processes, TestPostgres postgres, int agentPort, TestPulsar pulsar, String topic,
            TestDatabase source, int rowsBefore) throws Exception {
        Path resolver = Files.writeString(Files.createTempDirectory("pgcapture-resolver").resolve("resolver.json"), """
                {"items": {"PulsarURL": "%s", "PulsarTopic": "%s", "PulsarSubscription": "items-consumer", "AgentURL": "127.0.0.1:%d"},
                 "tail": {"PulsarURL": "%1$s", "PulsarTopic": "%2$s", "PulsarSubscription": "tail-consumer", "AgentURL": "127.0.0.1:%3$d"}}
                """.formatted(pulsar.serviceUrl(), topic, agentPort));
        int controllerPort = JarProcess.freePort();
        int gatewayPort = JarProcess.freePort();
        TestDatabase store = postgres.newDatabase();
        processes.add(JarProcess.start("controller-" + System.nanoTime(), List.of("controller", "--listen", "127.0.0.1:" + controllerPort,
                "--store-url", store.jdbcUrl(), "--resolver-config", resolver.toString())));
        JarProcess gateway = JarProcess.start("gateway-" + System.nanoTime(), List.of("gateway", "--listen", "127.0.0.1:" + gatewayPort,
                "--controller", "127.0.0.1:" + controllerPort, "--resolver-config", resolver.toString()));
        processes.add(gateway);
        await("the gateway listening").atMost(WAIT).until(() -> gateway.stderr().contains("gateway listening on") || !gateway.isAlive());
        assertTrue(gateway.isAlive(), "the gateway runs:\n" + gateway.stderr());

        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", gatewayPort).usePlaintext().build();
        BlockingQueue<CaptureMessage> received = new LinkedBlockingQueue<>();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        try {
            StreamObserver<CaptureRequest> requests = DBLogGatewayGrpc.newStub(channel).capture(new StreamObserver<>() {
                @Override
                public void onNext(CaptureMessage message) {
                    received.add(message);
                }

                @Override
                public void onError(Throwable t) {
                    ended.set(t);
                }

                @Override
                public void onCompleted() {
                    ended.set(new IllegalStateException("the gateway completed the stream"));
                }
            });
            requests.onNext(CaptureRequest.newBuilder().setInit(CaptureInit.newBuilder().setUri("items").setParameters(Struct.newBuilder()
                    .putFields("Mode", Value.newBuilder().setStringValue("exact").build())
                    .putFields("TableRegex", Value.newBuilder().setStringValue("^items$").build()))).build());
            source.execute("INSERT INTO items VALUES (5000, 'live', 'happy')");
            // A new subscription starts at the beginning of the retained stream: every change since init comes first.
            CaptureMessage live;
            long previous = 0;
            do {
                live = take(received, ended);
                assertTrue(live.getCheckpoint().getLsn() >= previous, "commit order: " + live.getCheckpoint());
                previous = live.getCheckpoint().getLsn();
                requests.onNext(ack(live));
            } while (!(live.getChange().getOp() == Change.Operation.INSERT && live.getChange().getNew(0).getBinary()
                    .asReadOnlyByteBuffer().getInt() == 5000));

            JarProcess schedule = JarProcess.start("schedule-" + System.nanoTime(), List.of("schedule", "--controller",
                    "127.0.0.1:" + controllerPort, "--uri", "items", "--table", "public.items", "--pages-per-chunk", "2"));
            processes.add(schedule);
            Set<Integer> dumped = new HashSet<>();
            int rows = 0;
            CaptureMessage message;
            while ((message = received.poll()) != null || rows < rowsBefore + 1) {
                if (message == null) {
                    message = take(received, ended);
                }
                assertEquals(0, message.getCheckpoint().getLsn(), "only dump rows follow: " + message);
                assertTrue(message.getSnapshotLsn() >= live.getCheckpoint().getLsn(), "the rows are as of the live insert or later");
                dumped.add(message.getChange().getNew(0).getBinary().asReadOnlyByteBuffer().getInt());
                rows++;
                requests.onNext(ack(message));
            }
            assertEquals(rowsBefore + 1, rows, "every row of the table arrived once in the dump");
            assertEquals(rowsBefore + 1, dumped.size(), "no row twice");
            assertTrue(dumped.contains(5000), "the dump includes the live insert");
            assertEquals(0, schedule.awaitExit(WAIT), "schedule waits until the dump is done:\n" + schedule.stdout() + schedule.stderr());
            assertTrue(schedule.stdout().contains("done: URI items"), "schedule waited until done:\n" + schedule.stdout());
            requests.onCompleted();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        tail(processes, gatewayPort);
    }

    /**
     * {@code pgcapture tail} on a URI of its own: {@code --max 3} prints the topic's first three
     * changes as JSON and exits 0; a second tail stopped with SIGTERM exits cleanly having
     * acknowledged what it printed, so a third one goes on exactly after it.
     */
    private static void tail(List<JarProcess> processes, int gatewayPort) throws Exception {
        List<String> common = List.of("tail", "--gateway", "127.0.0.1:" + gatewayPort, "--uri", "tail", "--mode", "exact",
                "--table-regex", "^items$");
        JarProcess first = run(processes, "tail-max", concat(common, "--max", "3"));
        List<String> lines = first.stdout().lines().toList();
        assertEquals(3, lines.size(), "three JSON lines:\n" + first.stdout());
        // The topic starts with the inserts of 1001.. (the rows before init were seeded, not captured).
        assertTrue(lines.get(0).startsWith("{\"op\":\"insert\",\"schema\":\"public\",\"table\":\"items\",\"checkpoint\":{\"lsn\":\""),
                lines.get(0));
        assertTrue(lines.get(0).contains("\"new\":{\"id\":1001,\"name\":\"item 1001\",\"mood\":\"ok\"}"), lines.get(0));
        assertTrue(lines.get(2).contains("\"id\":1003,"), lines.get(2));
        assertTrue(lines.get(0).contains("\"commit_time\":\""), lines.get(0));

        JarProcess second = JarProcess.start("tail-term-" + System.nanoTime(), common);
        processes.add(second);
        await("the second tail printing").atMost(WAIT).until(() -> second.stdout().lines().count() >= 5 || !second.isAlive());
        second.terminate();
        int status = second.awaitExit(Duration.ofSeconds(30));
        assertTrue(status == 0 || status == JarProcess.TERMINATED, "tail exit status after SIGTERM: " + status + "\n" + second.stderr());
        assertTrue(!second.stderr().contains("Exception"), "a clean stop:\n" + second.stderr());
        List<String> printed = second.stdout().lines().toList();
        assertTrue(printed.get(0).contains("\"id\":1004,"), "the second tail goes on after the first:\n" + printed.get(0));

        JarProcess third = run(processes, "tail-next", concat(common, "--max", "1"));
        String next = third.stdout().lines().findFirst().orElseThrow();
        String lastPrinted = printed.get(printed.size() - 1);
        assertTrue(checkpointOf(next).isAfter(checkpointOf(lastPrinted)),
                "what the stopped tail printed was acknowledged, so the third goes on after it: " + lastPrinted + " then " + next);
        System.out.printf("tail: 3 lines with --max, %d before SIGTERM, then the next one%n", printed.size());
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    /** The checkpoint of a line of {@code tail}: {@code "checkpoint":{"lsn":"0/16B3748","seq":2}}. */
    private static dev.pgcapture.core.Checkpoint checkpointOf(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"checkpoint\":\\{\"lsn\":\"([0-9A-F/]+)\",\"seq\":(\\d+)\\}")
                .matcher(line);
        assertTrue(m.find(), "a checkpoint in " + line);
        return dev.pgcapture.core.Checkpoint.of(Lsn.parse(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static CaptureMessage take(BlockingQueue<CaptureMessage> received, AtomicReference<Throwable> ended) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            CaptureMessage message = received.poll(100, TimeUnit.MILLISECONDS);
            if (message != null) {
                return message;
            }
            if (ended.get() != null) {
                throw new AssertionError("the capture stream ended", ended.get());
            }
        }
        throw new AssertionError("nothing arrived from the gateway within " + WAIT);
    }

    private static CaptureRequest ack(CaptureMessage message) {
        return CaptureRequest.newBuilder().setAck(CaptureAck.newBuilder().setCheckpoint(message.getCheckpoint())).build();
    }

    /** Runs one command to completion; it must exit 0. */
    private static JarProcess run(List<JarProcess> processes, String name, List<String> args) throws Exception {
        JarProcess process = JarProcess.start(name + "-" + System.nanoTime(), args);
        processes.add(process);
        int status = process.awaitExit(WAIT);
        assertEquals(0, status, name + " failed:\n" + process.stdout() + process.stderr());
        return process;
    }

    private static List<String> rows(TestDatabase db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(ROWS)) {
            while (r.next()) {
                rows.add(r.getInt(1) + "|" + r.getString(2) + "|" + r.getString(3));
            }
        }
        return rows;
    }

    private static Lsn applied(TestDatabase replica) throws SQLException {
        try (Connection c = replica.connect()) {
            return ReplicaPosition.read(c).orElseThrow().checkpoint().lsn();
        }
    }


}
