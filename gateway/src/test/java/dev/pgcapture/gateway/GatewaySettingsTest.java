package dev.pgcapture.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    @Test
    void defaults_areValid() {
        GatewaySettings settings = GatewaySettings.defaults();
        assertEquals(1000, settings.windowMessages());
        assertEquals(16L * 1024 * 1024, settings.windowBytes());
    }

    @Test
    void window_mustHoldAtLeastOneMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewaySettings.defaults().withWindow(0, 10));
        assertEquals("windowMessages must be at least 1, was 0", e.getMessage());
    }

    @Test
    void retryBackoff_maxBelowMin_isRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewaySettings.defaults().withRetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals("retryBackoffMax (PT1S) must not be less than retryBackoffMin (PT2S)", e.getMessage());
    }

    @Test
    void sourcePoll_mustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewaySettings.defaults().withSourcePoll(Duration.ZERO));
        assertEquals("sourcePoll must be positive, was PT0S", e.getMessage());
    }
}
