package dev.pgcapture.gateway.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.core.SourceResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolversTest {

    private final SourceResolverProvider.Context context = SourceResolverProvider.Context.withDefaults(FakeDumper::new);

    @Test
    void names_listTheBuiltInStaticResolver_andPlugInsOnTheClassPath() {
        assertEquals(List.of("fixed", "static"), Resolvers.names());
    }

    @Test
    void load_unknownName_listsTheAvailableResolvers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resolvers.load("consul", Optional.empty(), context));
        assertEquals("unknown resolver \"consul\"; available: fixed, static (a plug-in adds one with a jar on the class path that lists its"
                + " dev.pgcapture.gateway.resolve.SourceResolverProvider in META-INF/services)", e.getMessage());
    }

    @Test
    void load_plugIn_getsTheConfigAndTheGatewaysContext(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fixed.conf");
        SourceResolver resolver = Resolvers.load("fixed", Optional.of(file), context);
        FixedResolverProvider.Fixed fixed = assertInstanceOf(FixedResolverProvider.Fixed.class, resolver);
        assertEquals(Optional.of(file), fixed.config());
        assertEquals(Optional.of(new FakeDumper("agent-of-orders")), resolver.dumper("orders"));
    }

    @Test
    void load_static_readsItsJsonFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, """
                {"orders": {"PulsarURL": "pulsar://127.0.0.1:6650", "PulsarTopic": "shop", "PulsarSubscription": "orders"}}
                """);
        try (StaticResolver resolver = assertInstanceOf(StaticResolver.class, Resolvers.load("static", Optional.of(file), context))) {
            assertEquals(java.util.Set.of("orders"), resolver.config().uris());
        }
    }

    @Test
    void load_static_withoutAConfigFile_orWithABadOne_saysWhatIsWrong(@TempDir Path dir) throws Exception {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Resolvers.load("static", Optional.empty(), context));
        assertEquals("the static resolver needs a config file: a JSON object mapping each consumer URI to its PulsarURL, PulsarTopic,"
                + " PulsarSubscription and (for dumps) AgentURL", none.getMessage());
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"orders\": {\"PulsarURL\": \"pulsar://127.0.0.1:6650\"}}");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Resolvers.load("static", Optional.of(file), context));
        assertEquals("resolver config " + file + ", URI \"orders\": PulsarTopic is missing", bad.getMessage());
    }
}
