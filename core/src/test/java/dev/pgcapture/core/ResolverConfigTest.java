package dev.pgcapture.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolverConfigTest {

    private static final String ORDERS = """
            "PulsarURL": "pulsar://127.0.0.1:6650",
            "PulsarTopic": "persistent://public/default/shop",
            "PulsarSubscription": "orders\"""";

    @Test
    void parse_readsEveryUri_withPgcapturesKeys_agentUrlOptional_replicateStateIgnored() {
        ResolverConfig config = ResolverConfig.parse("""
                {
                  "orders": {%s, "AgentURL": "127.0.0.1:10001"},
                  "audit": {%s, "PulsarReplicateState": "anything"}
                }
                """.formatted(ORDERS, ORDERS), "test");
        assertEquals(Set.of("orders", "audit"), config.uris());
        assertEquals(Optional.of(new ResolverConfig.Entry("pulsar://127.0.0.1:6650", "persistent://public/default/shop", "orders",
                Optional.of("127.0.0.1:10001"))), config.entry("orders"));
        assertEquals(Optional.empty(), config.entry("audit").orElseThrow().agentUrl());
        assertEquals(Optional.empty(), config.entry("nobody"));
    }

    @Test
    void parse_unknownKey_isRefusedNamingUriAndKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResolverConfig.parse("{\"orders\": {" + ORDERS + ", \"PulsarUrl\": \"x\"}}", "gateway.json"));
        assertEquals("resolver config gateway.json, URI \"orders\": unknown key \"PulsarUrl\"; expected PulsarURL, PulsarTopic,"
                + " PulsarSubscription, AgentURL", e.getMessage());
    }

    @Test
    void parse_missingKey_isRefusedNamingUriAndKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResolverConfig.parse("{\"orders\": {\"PulsarURL\": \"pulsar://h:6650\", \"PulsarTopic\": \"t\"}}", "gateway.json"));
        assertEquals("resolver config gateway.json, URI \"orders\": PulsarSubscription is missing", e.getMessage());
    }

    @Test
    void parse_emptyOrNonStringValue_isRefusedNamingUriAndKey() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ResolverConfig.parse("{\"orders\": {" + ORDERS + ", \"AgentURL\": \" \"}}", "gateway.json"));
        assertEquals("resolver config gateway.json, URI \"orders\": AgentURL must be a non-empty string, was \" \"", empty.getMessage());
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class,
                () -> ResolverConfig.parse("{\"orders\": {" + ORDERS + ", \"AgentURL\": 10001}}", "gateway.json"));
        assertEquals("resolver config gateway.json, URI \"orders\": AgentURL must be a non-empty string, was 10001", number.getMessage());
    }

    @Test
    void parse_entryNotAnObject_isRefusedNamingUri() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResolverConfig.parse("{\"orders\": \"pulsar://h:6650\"}", "gateway.json"));
        assertEquals("resolver config gateway.json, URI \"orders\": expected an object with PulsarURL, PulsarTopic, PulsarSubscription"
                + " and optionally AgentURL", e.getMessage());
    }

    @Test
    void parse_rootNotAnObject_orEmptyUri_isRefused() {
        IllegalArgumentException array = assertThrows(IllegalArgumentException.class, () -> ResolverConfig.parse("[]", "gateway.json"));
        assertEquals("resolver config gateway.json must be a JSON object keyed by consumer URI", array.getMessage());
        IllegalArgumentException emptyUri = assertThrows(IllegalArgumentException.class,
                () -> ResolverConfig.parse("{\"\": {" + ORDERS + "}}", "gateway.json"));
        assertEquals("resolver config gateway.json has an empty URI", emptyUri.getMessage());
    }

    @Test
    void parse_badJson_isRefusedNamingTheOrigin() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResolverConfig.parse("{\"orders\": {", "gateway.json"));
        assertTrue(e.getMessage().startsWith("resolver config gateway.json is not valid JSON: "), e.getMessage());
    }

    @Test
    void read_namesTheFile_andAMissingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.json");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ResolverConfig.read(file));
        assertEquals("resolver config " + file + " does not exist", missing.getMessage());
        Files.writeString(file, "{\"orders\": {" + ORDERS + "}}");
        assertEquals(Set.of("orders"), ResolverConfig.read(file).uris());
        Files.writeString(file, "{\"orders\": {}}");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ResolverConfig.read(file));
        assertEquals("resolver config " + file + ", URI \"orders\": PulsarURL is missing", bad.getMessage());
    }
}
