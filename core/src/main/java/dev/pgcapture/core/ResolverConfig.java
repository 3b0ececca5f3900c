package dev.pgcapture.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The static resolver's configuration: a JSON object keyed by consumer URI, each value naming
 * where that URI's changes and dumps come from, with pgcapture's key names:
 *
 * <pre>{@code
 * {
 *   "orders": {
 *     "PulsarURL": "pulsar://127.0.0.1:6650",
 *     "PulsarTopic": "persistent://public/default/shop",
 *     "PulsarSubscription": "orders",
 *     "AgentURL": "127.0.0.1:10001"
 *   }
 * }
 * }</pre>
 *
 * {@code AgentURL} (the replica's Agent service, {@code host:port}) is optional: without it the
 * URI has changes but no dumps. pgcapture's {@code PulsarReplicateState} is accepted and
 * ignored; any other key is refused, naming the URI and the key.
 */
public final class ResolverConfig {

    private static final String PULSAR_URL = "PulsarURL";
    private static final String PULSAR_TOPIC = "PulsarTopic";
    private static final String PULSAR_SUBSCRIPTION = "PulsarSubscription";
    private static final String AGENT_URL = "AgentURL";
    private static final String PULSAR_REPLICATE_STATE = "PulsarReplicateState";
    private static final Set<String> KEYS = Set.of(PULSAR_URL, PULSAR_TOPIC, PULSAR_SUBSCRIPTION, AGENT_URL, PULSAR_REPLICATE_STATE);

    /**
     * Where one URI's changes and dumps come from.
     *
     * @param pulsarUrl the Pulsar service URL
     * @param pulsarTopic the capture topic
     * @param pulsarSubscription the subscription this URI's consumers share
     * @param agentUrl the replica's Agent service as {@code host:port}; empty: no dumps
     */
    public record Entry(String pulsarUrl, String pulsarTopic, String pulsarSubscription, Optional<String> agentUrl) {

        public Entry {
            Objects.requireNonNull(pulsarUrl, "pulsarUrl");
            Objects.requireNonNull(pulsarTopic, "pulsarTopic");
            Objects.requireNonNull(pulsarSubscription, "pulsarSubscription");
            Objects.requireNonNull(agentUrl, "agentUrl");
        }
    }

    private final Map<String, Entry> entries;

    private ResolverConfig(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** A configuration of these entries. */
    public static ResolverConfig of(Map<String, Entry> entries) {
        return new ResolverConfig(entries);
    }

    /**
     * Reads a configuration file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    public static ResolverConfig read(Path file) throws IOException {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("resolver config " + file + " does not exist");
        }
        return parse(json, file.toString());
    }

    /**
     * Parses a configuration; {@code origin} names it in error messages.
     *
     * @throws IllegalArgumentException naming the origin, the URI and the key that is wrong
     */
    public static ResolverConfig parse(String json, String origin) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("resolver config " + origin + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("resolver config " + origin + " must be a JSON object keyed by consumer URI");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            entries.put(field.getKey(), entry(origin, field.getKey(), field.getValue()));
        }
        return new ResolverConfig(entries);
    }

    private static Entry entry(String origin, String uri, JsonNode node) {
        String where = "resolver config " + origin + ", URI \"" + uri + "\"";
        if (uri.isEmpty()) {
            throw new IllegalArgumentException("resolver config " + origin + " has an empty URI");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object with " + PULSAR_URL + ", " + PULSAR_TOPIC + ", "
                    + PULSAR_SUBSCRIPTION + " and optionally " + AGENT_URL);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown key \"" + name + "\"; expected " + PULSAR_URL + ", "
                        + PULSAR_TOPIC + ", " + PULSAR_SUBSCRIPTION + ", " + AGENT_URL);
            }
        }
        return new Entry(
                required(where, node, PULSAR_URL),
                required(where, node, PULSAR_TOPIC),
                required(where, node, PULSAR_SUBSCRIPTION),
                optional(where, node, AGENT_URL));
    }

    private static String required(String where, JsonNode node, String key) {
        return optional(where, node, key).orElseThrow(() -> new IllegalArgumentException(where + ": " + key + " is missing"));
    }

    private static Optional<String> optional(String where, JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": " + key + " must be a non-empty string, was " + value);
        }
        return Optional.of(value.asText());
    }

    /** The entry for {@code uri}. */
    public Optional<Entry> entry(String uri) {
        return Optional.ofNullable(entries.get(uri));
    }

    /** Every configured URI. */
    public Set<String> uris() {
        return entries.keySet();
    }
}
