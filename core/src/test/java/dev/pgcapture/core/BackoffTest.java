package dev.pgcapture.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delay_doublesFromTheInitialDelay_upToTheMax() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
        assertEquals(Duration.ZERO, backoff.delay(0));
        assertEquals(Duration.ofSeconds(1), backoff.delay(1));
        assertEquals(Duration.ofSeconds(2), backoff.delay(2));
        assertEquals(Duration.ofSeconds(32), backoff.delay(6));
        assertEquals(Duration.ofMinutes(1), backoff.delay(7));
        assertEquals(Duration.ofMinutes(1), backoff.delay(Integer.MAX_VALUE));
    }

    @Test
    void delay_ofAMaxBetweenDoublings_isCappedAtTheMax() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));
        assertEquals(Duration.ofMillis(100), backoff.delay(1));
        assertEquals(Duration.ofMillis(200), backoff.delay(2));
        assertEquals(Duration.ofMillis(400), backoff.delay(3));
        assertEquals(Duration.ofMillis(500), backoff.delay(4));
        assertEquals(Duration.ofMillis(500), backoff.delay(1000));
    }

    @Test
    void backoff_refusesAMaxBelowTheInitialDelay() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals("backoff max PT1S is shorter than its initial delay PT2S", e.getMessage());
    }
}
