package dev.pgcapture.consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.agent.CaptureFixture;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.core.grpc.ServerSecurity;
import dev.pgcapture.core.grpc.TestCertificates;
import dev.pgcapture.gateway.GatewayStack;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import io.grpc.BindableService;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK against a gateway served over TLS with bearer tokens, the channel built as
 * {@link PgCapture}'s Javadoc shows: with the token the consumer gets every change; without one,
 * or with a wrong one, {@code consume} fails at once with UNAUTHENTICATED instead of retrying.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class SecureConsumerIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String TOKEN = "consumer-token-5e6f";

    @PgTable(name = "events")
    record Event(@PgColumn("id") int id) {
    }

    @TempDir
    Path dir;

    @Test
    void tlsGatewayWithTokens_consumerWithTheToken_getsEveryChange_withoutOrWithAWrongToken_failsUnauthenticated(
            TestDatabase source, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE events (id int PRIMARY KEY)");
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        Path tokens = Files.writeString(dir.resolve("tokens"), "# consumers\n" + TOKEN + "\n");
        ServerSecurity security = ServerSecurity.builder().tls(certs.server().cert(), certs.server().key()).tokenFile(tokens).build();
        try (CaptureFixture capture = CaptureFixture.start(source, pulsar);
                GatewayStack stack = GatewayStack.changes(pulsar, capture.topic())) {
            // The stack's gateway service, served once more on TLS; the stack closes it.
            BindableService gatewayService = stack.gateway::bindService;
            GrpcServer server = GrpcServer.on(new InetSocketAddress("127.0.0.1", 0), security, gatewayService).start();
            ChannelCredentials tls = TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile()).build();
            ManagedChannel channel = Grpc.newChannelBuilder("localhost:" + server.port(), tls).build();
            try {
                assertEquals("this server needs a bearer token: send the header \"authorization: Bearer <token>\"",
                        refusal(channel, ConsumerOptions.builder(GatewayStack.URI)).getDescription());
                Status wrong = refusal(channel, ConsumerOptions.builder(GatewayStack.URI).bearerToken("not-" + TOKEN));
                assertEquals("the bearer token is not accepted by this server", wrong.getDescription());

                List<String> inserts = new ArrayList<>();
                for (int i = 1; i <= 50; i++) {
                    inserts.add("INSERT INTO events VALUES (" + i + ")");
                }
                source.execute(inserts.toArray(String[]::new));
                Set<Integer> handled = ConcurrentHashMap.newKeySet();
                AtomicReference<Throwable> ended = new AtomicReference<>();
                try (Consumer consumer = PgCapture.newConsumer(channel, ConsumerOptions.builder(GatewayStack.URI).bearerToken(TOKEN).build())) {
                    Thread consuming = Thread.ofPlatform().start(() -> {
                        try {
                            consumer.consume(Handlers.of(Event.class, change -> handled.add(change.newRow().id())));
                        } catch (Throwable t) {
                            ended.set(t);
                        }
                    });
                    await("every change through TLS with the token").atMost(WAIT).until(() -> {
                        assertNull(ended.get());
                        return handled.size() == 50;
                    });
                    consumer.close();
                    consuming.join(10_000);
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.shutdown(Duration.ofSeconds(5));
            }
        }
    }

    /** The status a consumer with {@code options} is refused with; it must be UNAUTHENTICATED and not echo a token. */
    private static Status refusal(ManagedChannel channel, ConsumerOptions.Builder options) {
        Consumer consumer = PgCapture.newConsumer(channel, options.reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build());
        ConsumerException e = assertThrows(ConsumerException.class, () -> consumer.consume(Handlers.of(Event.class, change -> { })));
        assertEquals(Status.Code.UNAUTHENTICATED, e.status().getCode(), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        return e.status();
    }
}
