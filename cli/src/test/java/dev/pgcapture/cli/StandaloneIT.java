package dev.pgcapture.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pgcapture standalone --demo} as a user runs it, from the built jar: it comes up, prints
 * the next commands, {@code tail} shows the demo's changes, {@code schedule} dumps a table into
 * a running tail, SIGTERM stops it cleanly, and a second start on the same data directory goes
 * on where the first stopped. On an external source it wants {@code --init} before it sets the
 * source up.
 */
@ExtendWith(PostgresExtension.class)
class StandaloneIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> JVM = List.of("-Xmx768m", "-XX:MaxDirectMemorySize=256m", "-XX:+UseSerialGC");
    private static final Pattern CHECKPOINT = Pattern.compile("\"checkpoint\":\\{\"lsn\":\"([0-9A-F/]+)\",\"seq\":(\\d+)\\}");
    private static final Pattern CUSTOMER_DUMP = Pattern.compile("\"op\":\"dump\",\"schema\":\"demo\",\"table\":\"customers\".*\"new\":\\{\"id\":(\\d+),");

    @TempDir
    Path dir;

    @Test
    void standaloneDemo_tailShowsChanges_scheduleDumps_andARestartGoesOnWhereItStopped() throws Exception {
        Path data = dir.resolve("data");
        int gateway = JarProcess.freePort();
        int controller = JarProcess.freePort();
        int metrics = JarProcess.freePort();
        List<String> standalone = List.of("standalone", "--demo", "--demo-rate", "20", "--data-dir", data.toString(),
                "--metrics-listen", "127.0.0.1:" + metrics,
                "--gateway-listen", "127.0.0.1:" + gateway, "--controller-listen", "127.0.0.1:" + controller,
                "--agent-listen", "127.0.0.1:" + JarProcess.freePort(), "--pulsar-port", "0", "--pulsar-http-port", "0");
        List<String> tail = List.of("tail", "--uri", "demo", "--gateway", "127.0.0.1:" + gateway);
        Checkpoint lastBeforeRestart;

        try (JarProcess system = startStandalone("standalone-first", standalone)) {
            String banner = system.stdout();
            assertTrue(banner.contains("tail --uri demo --gateway 127.0.0.1:" + gateway), banner);
            assertTrue(banner.contains("schedule --uri demo --table demo.orders --controller 127.0.0.1:" + controller), banner);

            List<String> first = runToEnd("tail-first", concat(tail, "--max", "20"));
            assertEquals(20, first.size(), String.join("\n", first));
            for (String line : first) {
                assertTrue(line.contains("\"schema\":\"demo\""), line);
                assertTrue(line.matches(".*\"op\":\"(insert|update|delete)\".*"), line);
            }
            assertInCommitOrder(first);
            // One endpoint for every part: ready, and counting what the demo writes.
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String meter : new String[] {"pgcapture_capture_rows_total", "pgcapture_replica_rows_total", "pgcapture_gateway_consumers",
                "pgcapture_controller_clients", "jvm_memory_used_bytes"}) {
                assertTrue(scrape.contains(meter), meter + " missing from the scrape");
            }
            Matcher captured = Pattern.compile("(?m)^pgcapture_capture_rows_total\\{[^}]*} ([0-9.E]+)$").matcher(scrape);
            assertTrue(captured.find() && Double.parseDouble(captured.group(1)) >= 20, "rows captured:\n" + scrape);

            try (JarProcess watching = JarProcess.start("tail-dump-" + System.nanoTime(), tail)) {
                List<String> schedule = runToEnd("schedule", List.of("schedule", "--uri", "demo", "--table", "demo.customers",
                        "--controller", "127.0.0.1:" + controller));
                assertTrue(schedule.stream().anyMatch(l -> l.startsWith("done: URI demo")), String.join("\n", schedule));
                Set<Long> dumped = new TreeSet<>();
                await("the dump of demo.customers in the tail").atMost(WAIT).until(() -> {
                    dumped.clear();
                    watching.stdout().lines().map(CUSTOMER_DUMP::matcher).filter(Matcher::find)
                            .forEach(m -> dumped.add(Long.parseLong(m.group(1))));
                    return dumped.size() >= 100;
                });
                // The demo starts with customers 1..100; every one of them is in the dump once.
                for (long id = 1; id <= 100; id++) {
                    assertTrue(dumped.contains(id), "customer " + id + " missing from the dump");
                }
                watching.terminate();
                watching.awaitExit(WAIT);
                List<String> printed = watching.stdout().lines().filter(l -> l.startsWith("{")).toList();
                lastBeforeRestart = printed.stream().filter(l -> !l.contains("\"op\":\"dump\"")).map(StandaloneIT::checkpointOf)
                        .reduce((a, b) -> b).orElseThrow();
            }

            system.terminate();
            assertEquals(0, system.awaitExit(WAIT), system.stderr());
            assertTrue(system.stdout().contains("pgcapture standalone stopped (the demo wrote "), system.stdout());
        }

        try (JarProcess again = startStandalone("standalone-second", standalone)) {
            assertTrue(again.stdout().contains("the replica is already seeded"), again.stdout());
            List<String> next = runToEnd("tail-after-restart", concat(tail, "--max", "5"));
            assertEquals(5, next.size(), String.join("\n", next));
            assertTrue(checkpointOf(next.get(0)).compareTo(lastBeforeRestart) > 0,
                    "after the restart the URI goes on after " + lastBeforeRestart + ", got " + next.get(0));
            assertInCommitOrder(next);
            again.terminate();
            assertEquals(0, again.awaitExit(WAIT), again.stderr());
        }
        assertTrue(Files.isDirectory(data.resolve("postgres")), "without --ephemeral the data stays");
    }

    @Test
    void standaloneOnAnExternalSource_needsInit_thenCapturesIt_andEphemeralRemovesItsData(TestDatabase source) throws Exception {
        source.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");
        Path data = dir.resolve("ephemeral");
        int gateway = JarProcess.freePort();
        List<String> standalone = List.of("standalone", "--pg-url", source.jdbcUrl(), "--ephemeral", "--data-dir", data.toString(),
                "--gateway-listen", "127.0.0.1:" + gateway, "--controller-listen", "127.0.0.1:" + JarProcess.freePort(),
                "--agent-listen", "127.0.0.1:" + JarProcess.freePort(), "--pulsar-port", "0", "--pulsar-http-port", "0");
        try {
            try (JarProcess refused = JarProcess.start("standalone-no-init-" + System.nanoTime(), JVM, standalone)) {
                assertEquals(1, refused.awaitExit(START), refused.stdout() + refused.stderr());
                assertTrue(refused.stderr().contains("is not set up for capture") && refused.stderr().contains("Give --init"),
                        refused.stderr());
            }
            try (JarProcess system = startStandalone("standalone-external", concat(standalone, "--init"))) {
                assertTrue(system.stdout().contains("consumer URI \"standalone\""), system.stdout());
                assertTrue(Files.isDirectory(data.resolve("pulsar")));
                source.execute("INSERT INTO notes VALUES (1, 'written at the external source')");
                List<String> lines = runToEnd("tail-external",
                        List.of("tail", "--uri", "standalone", "--gateway", "127.0.0.1:" + gateway, "--max", "1"));
                assertTrue(lines.get(0).contains("\"table\":\"notes\"") && lines.get(0).contains("written at the external source"),
                        lines.get(0));
                system.terminate();
                assertEquals(0, system.awaitExit(WAIT), system.stderr());
            }
            assertFalse(Files.exists(data), "--ephemeral removes " + data + " at stop");
        } finally {
            // The slot is the server's, not the database's: later tests on this server may want the name.
            source.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'pgcapture' AND NOT active");
        }
    }

    private static JarProcess startStandalone(String name, List<String> args) throws IOException {
        JarProcess system = JarProcess.start(name + "-" + System.nanoTime(), JVM, args);
        await(name + " running").atMost(START).until(() -> system.stdout().contains("pgcapture standalone is running") || !system.isAlive());
        assertTrue(system.isAlive(), name + " ended:\n" + system.stdout() + system.stderr());
        return system;
    }

    /** Runs a command to its end (exit 0) and returns its JSON or result lines, without the JVM's warnings. */
    private static List<String> runToEnd(String name, List<String> args) throws Exception {
        try (JarProcess process = JarProcess.start(name + "-" + System.nanoTime(), args)) {
            int status = process.awaitExit(WAIT);
            assertEquals(0, status, name + " failed:\n" + process.stdout() + process.stderr());
            return process.stdout().lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static void assertInCommitOrder(List<String> lines) {
        Checkpoint previous = null;
        for (String line : lines) {
            Checkpoint checkpoint = checkpointOf(line);
            assertTrue(previous == null || checkpoint.compareTo(previous) > 0, previous + " then " + checkpoint);
            previous = checkpoint;
        }
    }

    private static Checkpoint checkpointOf(String line) {
        Matcher m = CHECKPOINT.matcher(line);
        assertTrue(m.find(), "a checkpoint in " + line);
        return Checkpoint.of(Lsn.parse(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

}
