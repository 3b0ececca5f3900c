package dev.pgcapture.gateway.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.UnknownUriException;
import dev.pgcapture.gateway.pulsar.PulsarClients;
import dev.pgcapture.gateway.pulsar.PulsarSourceSettings;
import dev.pgcapture.gateway.pulsar.PulsarSources;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticResolverTest {

    private static final ResolverConfig CONFIG = ResolverConfig.of(Map.of(
            "orders", new ResolverConfig.Entry("pulsar://127.0.0.1:1", "shop", "orders", Optional.of("10.0.0.7:10001")),
            "audit", new ResolverConfig.Entry("pulsar://127.0.0.1:1", "shop", "audit", Optional.empty())));

    private final StaticResolver resolver = new StaticResolver(CONFIG, new PulsarSources(PulsarSourceSettings.defaults(), Clock.systemUTC()),
            PulsarClients.withDefaults(), FakeDumper::new);

    @Test
    void source_ofAnUnknownUri_isUnknownUriException() {
        UnknownUriException e = assertThrows(UnknownUriException.class, () -> resolver.source("payments", DeliveryMode.SHARED));
        assertEquals("payments", e.uri());
        assertEquals("no source is configured for URI \"payments\"", e.getMessage());
    }

    @Test
    void dumper_isMadeForTheUrisAgentUrl() throws Exception {
        assertEquals(Optional.of(new FakeDumper("10.0.0.7:10001")), resolver.dumper("orders"));
    }

    @Test
    void dumper_ofAUriWithoutAgentUrl_isEmpty_andOfAnUnknownUri_isUnknownUriException() throws Exception {
        assertEquals(Optional.empty(), resolver.dumper("audit"));
        assertThrows(UnknownUriException.class, () -> resolver.dumper("payments"));
    }

    @Test
    void source_afterClose_isRefused() {
        resolver.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> resolver.source("orders", DeliveryMode.EXACT));
        assertEquals("the Pulsar clients are closed", e.getMessage());
    }
}
