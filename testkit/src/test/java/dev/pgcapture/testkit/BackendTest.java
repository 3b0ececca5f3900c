package dev.pgcapture.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackendTest {

    private final String saved = System.getProperty(Backend.PROPERTY);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Backend.PROPERTY);
        } else {
            System.setProperty(Backend.PROPERTY, saved);
        }
    }

    @Test
    void property_forcesEitherBackend() {
        System.setProperty(Backend.PROPERTY, "embedded");
        assertEquals(Backend.EMBEDDED, Backend.chosen());
        System.setProperty(Backend.PROPERTY, " TestContainers ");
        assertEquals(Backend.TESTCONTAINERS, Backend.chosen());
    }

    @Test
    void property_unknownValue_isRejectedByName() {
        System.setProperty(Backend.PROPERTY, "docker");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backend::chosen);
        assertTrue(e.getMessage().contains("docker") && e.getMessage().contains(Backend.PROPERTY), e.getMessage());
    }
}
