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
import java.net.ServerSocket;
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
 * The replica path as the README tells a user to run it, each command the packaged jar in its own
 * process: {@code init} and {@code seed}, then {@code pg2pulsar} and {@code pulsar2pg --listen}; the
 * replica follows the source, and the Agent service on the listen address dumps it.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class ReplicaCommandsIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String ROWS = "SELECT id, name, mood::text FROM items ORDER BY id";

    @Test
    void seedThenPg2pulsarAndPulsar2pg_replicaFollowsTheSource_andTheAgentServiceDumpsIt(
            TestPostgres postgres, TestDatabase source, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, mood mood)",
                "INSERT INTO items SELECT g, 'item ' || g, (ARRAY['sad', 'ok', 'happy']::mood[])[1 + g % 3] FROM generate_series(1, 1000) g");
        TestDatabase replica = postgres.newDatabase();
        String slot = source.uniqueName("slot");
        String topic = pulsar.newTopic();
        int port = freePort();
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

            applier.terminate();
            int status = applier.awaitExit(Duration.ofSeconds(60));
            assertTrue(status == 0 || status == JarProcess.TERMINATED, "pulsar2pg exit status after SIGTERM: " + status + "\n" + applier.stderr());
            assertTrue(applier.stderr().contains("Agent gRPC service listening on 127.0.0.1:" + port), applier.stderr());
        } finally {
            for (JarProcess process : processes) {
                process.close();
            }
            await("slot " + slot + " inactive").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> slotInactive(source, slot));
            source.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
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

    private static boolean slotInactive(TestDatabase db, String slot) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "' AND active")) {
            r.next();
            return r.getInt(1) == 0;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
