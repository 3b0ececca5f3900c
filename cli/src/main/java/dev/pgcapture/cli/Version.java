package dev.pgcapture.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of this build, as Maven stamped it into the jar. */
final class Version implements IVersionProvider {

    static String current() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the version of this build", e);
        }
        return properties.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "pgcapture " + current(),
            "protocol: pgcapture (package pgcapture), wire-compatible",
            "java: " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
