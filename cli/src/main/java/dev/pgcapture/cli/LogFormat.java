package dev.pgcapture.cli;

import java.util.Optional;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The layout of the log lines on stderr. {@code log4j2.xml} picks the layout by the system
 * property {@value #PROPERTY}; {@link #apply} sets it and reloads the configuration when it
 * changes.
 */
enum LogFormat {
    TEXT, JSON;

    static final String PROPERTY = "pgcapture.log.format";

    /** {@code text} or {@code json}, any case; empty for anything else. */
    static Optional<LogFormat> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> Optional.of(TEXT);
            case "json" -> Optional.of(JSON);
            default -> Optional.empty();
        };
    }

    /** Logs in this format from now on. */
    void apply() {
        String value = name().toLowerCase(java.util.Locale.ROOT);
        if (!value.equals(System.getProperty(PROPERTY, "text"))) {
            System.setProperty(PROPERTY, value);
            Configurator.reconfigure();
        }
    }
}
