package dev.pgcapture.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPostgres;
import dev.pgcapture.testkit.TestPulsar;
import dev.pgcapture.proto.CaptureInit;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.proto.DBLogGatewayGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

/**
 * The built jar's pg2pulsar and pulsar2pg with {@code --metrics-listen}, scraped while changes
 * flow from a real PostgreSQL through a real Pulsar into a replica.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class ObservabilityIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int INSERTED = 500;
    private static final int UPDATES = 20;

    @Test
    void scrape_whileChangesFlow_countersGrowByTheRowsWritten_lagsAreSane_andReadinessWaitsForTheSlot(
            TestPostgres postgres, TestDatabase source, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g");
        TestDatabase replica = postgres.newDatabase();
        String slot = source.uniqueName("slot");
        String topic = pulsar.newTopic();
        int capturePort = JarProcess.freePort();
        int applyPort = JarProcess.freePort();
        List<JarProcess> processes = new ArrayList<>();
        try {
            run(processes, "init", List.of("init", "--pg-url", source.jdbcUrl(), "--slot", slot));
            run(processes, "seed", List.of("seed", "--source-url", source.jdbcUrl(), "--replica-url", replica.jdbcUrl()));

            JarProcess capture;
            // Someone else holds the slot: pg2pulsar retries, and says so on /health/ready.
            try (Connection holder = source.connectReplication();
                 PGReplicationStream held = holder.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                         .withSlotName(slot).withSlotOption("proto_version", 1).withSlotOption("publication_names", "pgcapture").start()) {
                capture = JarProcess.start("pg2pulsar-" + System.nanoTime(), List.of("pg2pulsar", "--pg-url", source.jdbcUrl(),
                        "--slot", slot, "--topic", topic, "--pulsar-url", pulsar.serviceUrl(), "--pulsar-admin-url", pulsar.httpUrl(),
                        "--metrics-listen", "127.0.0.1:" + capturePort, "--log-format", "json"));
                processes.add(capture);
                HttpResponse<String> notReady = await("pg2pulsar not ready while the slot is held").atMost(WAIT)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Scrape.get(capturePort, "/health/ready").orElse(null),
                                r -> r != null && r.body().contains("is in use by server process"));
                assertEquals(503, notReady.statusCode(), notReady.body());
                assertEquals(200, Scrape.get(capturePort, "/health/live").orElseThrow().statusCode(), "live while not ready");
            }
            await("pg2pulsar ready once the slot is free").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> status(capturePort, "/health/ready") == 200);

            JarProcess applier = JarProcess.start("pulsar2pg-" + System.nanoTime(), List.of("pulsar2pg", "--pg-url", replica.jdbcUrl(),
                    "--pulsar-url", pulsar.serviceUrl(), "--topic", topic, "--metrics-listen", "127.0.0.1:" + applyPort));
            processes.add(applier);
            await("pulsar2pg ready").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> status(applyPort, "/health/ready") == 200);

            List<Scrape.Sample> captureBefore = Scrape.metrics(capturePort);
            List<Scrape.Sample> applyBefore = Scrape.metrics(applyPort);
            double capturedRows = Scrape.value(captureBefore, "pgcapture_capture_rows_total", "slot", slot).orElseThrow();
            double capturedTxns = Scrape.value(captureBefore, "pgcapture_capture_transactions_total", "slot", slot).orElseThrow();
            double appliedRows = Scrape.value(applyBefore, "pgcapture_replica_rows_total", "topic", topic).orElseThrow();
            double appliedTxns = Scrape.value(applyBefore, "pgcapture_replica_transactions_total", "topic", topic).orElseThrow();

            source.execute("INSERT INTO items SELECT g, 'new ' || g FROM generate_series(1001, " + (1000 + INSERTED) + ") g");
            for (int i = 1; i <= UPDATES; i++) {
                source.execute("UPDATE items SET name = 'updated' WHERE id = " + i);
            }
            int rows = INSERTED + UPDATES;
            int transactions = 1 + UPDATES;

            await("pg2pulsar's counters grew by the rows written").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                    Scrape.value(Scrape.metrics(capturePort), "pgcapture_capture_rows_total", "slot", slot).orElseThrow() >= capturedRows + rows);
            await("pulsar2pg's counters grew by the rows written").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                    Scrape.value(Scrape.metrics(applyPort), "pgcapture_replica_rows_total", "topic", topic).orElseThrow() >= appliedRows + rows);
            // Slot lag is sampled every few seconds: wait for a sample after the slot confirmed the changes.
            await("the slot lag falls once everything is confirmed").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
                    Scrape.value(Scrape.metrics(capturePort), "pgcapture_slot_lag_bytes", "slot", slot).orElse(Double.NaN) < 1_000_000);

            List<Scrape.Sample> captured = Scrape.metrics(capturePort);
            assertEquals(capturedRows + rows, Scrape.value(captured, "pgcapture_capture_rows_total", "slot", slot).orElseThrow(),
                    "each change captured once");
            assertEquals(capturedTxns + transactions, Scrape.value(captured, "pgcapture_capture_transactions_total", "slot", slot).orElseThrow());
            double slotLag = Scrape.value(captured, "pgcapture_slot_lag_bytes", "slot", slot).orElseThrow();
            assertTrue(slotLag >= 0, "slot lag " + slotLag);
            double captureLag = Scrape.value(captured, "pgcapture_capture_lag_seconds", "slot", slot).orElseThrow();
            assertTrue(captureLag >= 0 && captureLag < 60, "capture lag " + captureLag);
            assertTrue(Scrape.value(captured, "pgcapture_pulsar_publish_seconds_count", "topic", topic).orElseThrow() >= transactions,
                    "every published message's acknowledgement is timed");
            assertTrue(Scrape.value(captured, "pgcapture_pulsar_publish_seconds_bucket", "topic", topic).isPresent(), "a histogram");
            for (String jvm : List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds_count", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds")) {
                assertTrue(Scrape.has(captured, jvm), jvm + " is served");
            }

            List<Scrape.Sample> applied = Scrape.metrics(applyPort);
            assertEquals(appliedRows + rows, Scrape.value(applied, "pgcapture_replica_rows_total", "topic", topic).orElseThrow(),
                    "each change applied once");
            assertEquals(appliedTxns + transactions, Scrape.value(applied, "pgcapture_replica_transactions_total", "topic", topic).orElseThrow());
            double applyLag = Scrape.value(applied, "pgcapture_replica_apply_lag_seconds", "topic", topic).orElseThrow();
            assertTrue(applyLag >= 0 && applyLag < 60, "apply lag " + applyLag);
            assertTrue(Scrape.value(applied, "pgcapture_replica_applied_lsn", "topic", topic).orElseThrow() > 0);

            assertJsonLogs(capture.stderr(), slot);
            assertFalse(applier.stderr().contains("password="), "no password in the logs:\n" + applier.stderr());
            assertTrue(applier.stderr().contains("pulsar2pg applying topic " + topic) && applier.stderr().contains("metrics and health on http://127.0.0.1:" + applyPort),
                    applier.stderr());
        } finally {
            for (JarProcess process : processes) {
                process.close();
            }
            await("slot " + slot + " inactive").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> !source.slotActive(slot));
            source.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    @Test
    void controllerAndGateway_serveTheirMetricsAndReadiness_andTheGatewayCountsItsConsumer(TestPostgres postgres, TestPulsar pulsar)
            throws Exception {
        String topic = pulsar.newTopic();
        Path resolver = Files.writeString(Files.createTempDirectory("pgcapture-resolver").resolve("resolver.json"), """
                {"items": {"PulsarURL": "%s", "PulsarTopic": "%s", "PulsarSubscription": "items-consumer"}}
                """.formatted(pulsar.serviceUrl(), topic));
        TestDatabase store = postgres.newDatabase();
        int controllerPort = JarProcess.freePort();
        int controllerMetrics = JarProcess.freePort();
        int gatewayPort = JarProcess.freePort();
        int gatewayMetrics = JarProcess.freePort();
        List<JarProcess> processes = new ArrayList<>();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", gatewayPort).usePlaintext().build();
        try {
            processes.add(JarProcess.start("controller-" + System.nanoTime(), List.of("controller", "--listen", "127.0.0.1:" + controllerPort,
                    "--store-url", store.jdbcUrl(), "--metrics-listen", "127.0.0.1:" + controllerMetrics)));
            processes.add(JarProcess.start("gateway-" + System.nanoTime(), List.of("gateway", "--listen", "127.0.0.1:" + gatewayPort,
                    "--controller", "127.0.0.1:" + controllerPort, "--resolver-config", resolver.toString(),
                    "--metrics-listen", "127.0.0.1:" + gatewayMetrics)));
            await("controller and gateway ready").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> status(controllerMetrics, "/health/ready") == 200 && status(gatewayMetrics, "/health/ready") == 200);
            List<Scrape.Sample> controller = Scrape.metrics(controllerMetrics);
            assertEquals(0.0, Scrape.value(controller, "pgcapture_controller_clients").orElseThrow(), "no gateway pulls dumps yet");
            assertTrue(Scrape.has(controller, "jvm_memory_used_bytes"), "and the JVM's");

            BlockingQueue<Throwable> ended = new LinkedBlockingQueue<>();
            StreamObserver<CaptureRequest> requests = DBLogGatewayGrpc.newStub(channel).capture(new StreamObserver<>() {
                @Override
                public void onNext(CaptureMessage message) {
                }

                @Override
                public void onError(Throwable t) {
                    ended.add(t);
                }

                @Override
                public void onCompleted() {
                    ended.add(new IllegalStateException("completed"));
                }
            });
            requests.onNext(CaptureRequest.newBuilder().setInit(CaptureInit.newBuilder().setUri("items")).build());
            await("the gateway counts its consumer").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                    Scrape.value(Scrape.metrics(gatewayMetrics), "pgcapture_gateway_consumers", "uri", "items").orElse(0.0) == 1);
            List<Scrape.Sample> gateway = Scrape.metrics(gatewayMetrics);
            assertEquals(0.0, Scrape.value(gateway, "pgcapture_gateway_in_flight", "uri", "items").orElseThrow());
            assertEquals(1.0, Scrape.value(gateway, "pgcapture_gateway_streams").orElseThrow());
            assertEquals(0.0, Scrape.value(gateway, "pgcapture_gateway_requeues_total", "uri", "items").orElseThrow());
            assertTrue(ended.isEmpty(), "the stream is open: " + ended.peek());
            requests.onCompleted();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            for (JarProcess process : processes) {
                process.close();
            }
        }
    }

    /** Every log line of a {@code --log-format json} process is a JSON object; the start line names versions and endpoints. */
    private static void assertJsonLogs(String stderr, String slot) throws Exception {
        ObjectMapper json = new ObjectMapper();
        boolean started = false;
        for (String line : stderr.split("\n")) {
            if (line.isBlank() || line.startsWith("WARNING:")) { // the JVM's own warnings are not logs
                continue;
            }
            JsonNode event = json.readTree(line);
            assertTrue(event.has("@timestamp") && event.has("log.level") && event.has("message"), line);
            String message = event.get("message").asText();
            assertFalse(message.contains("password="), "no password in the logs: " + line);
            if (message.startsWith("pg2pulsar capturing slot " + slot)) {
                started = true;
                assertTrue(message.contains("(pgcapture ") && message.contains("Java " + Runtime.version().feature()), message);
                assertTrue(message.contains("metrics and health on http://127.0.0.1:"), message);
            }
        }
        assertTrue(started, "the start line is logged:\n" + stderr);
    }

    private static int status(int port, String path) throws Exception {
        Optional<HttpResponse<String>> response = Scrape.get(port, path);
        return response.map(HttpResponse::statusCode).orElse(0);
    }

    private static JarProcess run(List<JarProcess> processes, String name, List<String> args) throws Exception {
        JarProcess process = JarProcess.start(name + "-" + System.nanoTime(), args);
        processes.add(process);
        assertEquals(0, process.awaitExit(WAIT), name + " failed:\n" + process.stdout() + process.stderr());
        return process;
    }


}
