package dev.pgcapture.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.grpc.TestCertificates;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as a real process with TLS and bearer tokens, and {@code pgcapture tail} as its
 * client: with the gateway's CA and a token of its file it prints the changes; with a wrong token
 * it exits 1 saying UNAUTHENTICATED. No process writes the database password (given through
 * {@code PGCAPTURE_PG_URL}) or a token to its output.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class SecureGatewayIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String GOOD_TOKEN = "new-token-7f3a9c";
    private static final String OLD_TOKEN = "old-token-1b2c3d";
    private static final String WRONG_TOKEN = "guessed-token-000";

    @TempDir
    Path dir;

    @Test
    void tlsAndTokenGateway_tailWithCaAndToken_printsChanges_wrongTokenExitsUnauthenticated_noSecretInAnyOutput(
            TestDatabase source, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)");
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        Path accepted = Files.writeString(dir.resolve("gateway-tokens"), "# the gateway's tokens: rotating from old to new\n\n"
                + OLD_TOKEN + "\n" + GOOD_TOKEN + "\n");
        Path good = Files.writeString(dir.resolve("tail-token"), GOOD_TOKEN + "\n");
        Path wrong = Files.writeString(dir.resolve("wrong-token"), WRONG_TOKEN + "\n");
        String url = source.jdbcUrl();
        String password = url.contains("&password=") ? url.substring(url.indexOf("&password=") + "&password=".length()) : "s3cret-pw-42";
        Map<String, String> env = Map.of("PGCAPTURE_PG_URL", url.contains("&password=") ? url : url + "&password=" + password);
        String slot = source.uniqueName("slot");
        String topic = pulsar.newTopic();
        int port = JarProcess.freePort();
        Path resolver = Files.writeString(dir.resolve("resolver.json"), """
                {"items": {"PulsarURL": "%s", "PulsarTopic": "%s", "PulsarSubscription": "items-tail"}}
                """.formatted(pulsar.serviceUrl(), topic));
        List<JarProcess> processes = new ArrayList<>();
        try {
            JarProcess init = JarProcess.start("secure-init-" + System.nanoTime(), List.of("init", "--slot", slot), env);
            processes.add(init);
            assertEquals(0, init.awaitExit(WAIT), "init:\n" + init.stderr());
            JarProcess capture = JarProcess.start("secure-pg2pulsar-" + System.nanoTime(), List.of("pg2pulsar", "--slot", slot,
                    "--topic", topic, "--pulsar-url", pulsar.serviceUrl(), "--pulsar-admin-url", pulsar.httpUrl()), env);
            processes.add(capture);
            JarProcess gateway = JarProcess.start("secure-gateway-" + System.nanoTime(), List.of("gateway", "--listen", "127.0.0.1:" + port,
                    "--resolver-config", resolver.toString(), "--tls-cert", certs.server().cert().toString(),
                    "--tls-key", certs.server().key().toString(), "--auth-token-file", accepted.toString()));
            processes.add(gateway);
            await("the gateway listening").atMost(WAIT).until(() -> gateway.stderr().contains("gateway listening on") || !gateway.isAlive());
            assertTrue(gateway.isAlive(), "the gateway runs:\n" + gateway.stderr());
            source.execute("INSERT INTO items VALUES (1, 'one')", "INSERT INTO items VALUES (2, 'two')", "INSERT INTO items VALUES (3, 'three')");

            List<String> tail = List.of("tail", "--gateway", "localhost:" + port, "--uri", "items", "--table-regex", "^items$",
                    "--tls-ca", certs.caCert().toString());
            JarProcess refused = JarProcess.start("secure-tail-wrong-" + System.nanoTime(), concat(tail, "--token-file", wrong.toString()));
            processes.add(refused);
            assertEquals(1, refused.awaitExit(WAIT), "tail with a wrong token fails:\n" + refused.stderr());
            assertTrue(refused.stderr().contains("UNAUTHENTICATED: the bearer token is not accepted by this server"), refused.stderr());
            assertFalse(refused.stderr().contains(WRONG_TOKEN), "the error does not echo the token:\n" + refused.stderr());
            assertEquals("", refused.stdout(), "nothing printed");

            JarProcess tailing = JarProcess.start("secure-tail-" + System.nanoTime(), concat(tail, "--token-file", good.toString(), "--max", "3"));
            processes.add(tailing);
            assertEquals(0, tailing.awaitExit(WAIT), "tail with the CA and a good token:\n" + tailing.stderr());
            List<String> lines = tailing.stdout().lines().toList();
            assertEquals(3, lines.size(), tailing.stdout());
            assertTrue(lines.get(0).contains("\"new\":{\"id\":1,\"name\":\"one\"}"), lines.get(0));
            assertTrue(lines.get(2).contains("\"new\":{\"id\":3,\"name\":\"three\"}"), lines.get(2));

            assertTrue(gateway.stderr().contains("bearer tokens from " + accepted + " (2)"), "the gateway logs its security:\n" + gateway.stderr());
            for (JarProcess process : processes) {
                String output = process.stdout() + process.stderr();
                for (String secret : List.of(password, GOOD_TOKEN, OLD_TOKEN, WRONG_TOKEN)) {
                    assertFalse(output.contains(secret), process.name() + " wrote a secret to its output:\n" + output);
                }
            }
        } finally {
            for (JarProcess process : processes) {
                process.close();
            }
            await("slot " + slot + " inactive").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> !source.slotActive(slot));
            source.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }


}
