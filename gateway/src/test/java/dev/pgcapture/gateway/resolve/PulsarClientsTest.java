package dev.pgcapture.gateway.resolve;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.gateway.pulsar.PulsarClients;
import java.time.Duration;
import org.apache.pulsar.client.api.PulsarClientException;
import org.junit.jupiter.api.Test;

class PulsarClientsTest {

    @Test
    void client_isOnePerServiceUrl() throws Exception {
        try (PulsarClients clients = PulsarClients.withDefaults()) {
            assertSame(clients.client("pulsar://127.0.0.1:1"), clients.client("pulsar://127.0.0.1:1"));
            assertNotSame(clients.client("pulsar://127.0.0.1:1"), clients.client("pulsar://127.0.0.1:2"));
        }
    }

    @Test
    void client_ofAnInvalidUrl_namesIt() {
        try (PulsarClients clients = PulsarClients.withDefaults()) {
            PulsarClientException e = assertThrows(PulsarClientException.class, () -> clients.client("http//nowhere"));
            assertTrue(e.getMessage().startsWith("Pulsar service URL \"http//nowhere\" is not valid: "), e.getMessage());
        }
    }

    @Test
    void operationTimeout_belowOneMillisecond_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PulsarClients(Duration.ofNanos(999_999)));
        assertTrue(e.getMessage().equals("operationTimeout must be at least 1 ms, was PT0.000999999S"), e.getMessage());
    }
}
