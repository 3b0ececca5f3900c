package dev.pgcapture.agent.setup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The named sections of {@code setup.sql}, the SQL this package runs (kept out of Java strings). */
final class SqlScript {

    private static final String RESOURCE = "setup.sql";
    private static final String MARKER = "-- :section ";
    private static final Map<String, String> SECTIONS = load();

    private SqlScript() {
    }

    /** The text of one section. */
    static String section(String name) {
        String sql = SECTIONS.get(name);
        if (sql == null) {
            throw new IllegalStateException("no section \"" + name + "\" in " + RESOURCE);
        }
        return sql;
    }

    /** A section whose {@code @SCHEMA@} placeholder names {@code schema} ({@code pgcapture} or {@code pg_temp}). */
    static String section(String name, String schema) {
        return section(name).replace("@SCHEMA@", schema);
    }

    private static Map<String, String> load() {
        try (InputStream in = SqlScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            Map<String, String> sections = new LinkedHashMap<>();
            String name = null;
            StringBuilder body = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.startsWith(MARKER)) {
                    if (name != null) {
                        sections.put(name, body.toString().strip());
                    }
                    name = line.substring(MARKER.length()).strip();
                    body.setLength(0);
                } else if (name != null) {
                    body.append(line).append('\n');
                }
            }
            if (name != null) {
                sections.put(name, body.toString().strip());
            }
            return Map.copyOf(sections);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
