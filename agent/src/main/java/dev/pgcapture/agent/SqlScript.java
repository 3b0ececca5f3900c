package dev.pgcapture.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named sections of a SQL resource, so that SQL is kept out of Java strings. A section starts
 * with a line {@code -- :section <name>} and runs as one JDBC statement.
 */
public final class SqlScript {

    private static final String MARKER = "-- :section ";

    private final String resource;
    private final Map<String, String> sections;

    private SqlScript(String resource, Map<String, String> sections) {
        this.resource = resource;
        this.sections = sections;
    }

    /** Reads {@code resource}, found next to {@code anchor}'s class file. */
    public static SqlScript load(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath next to " + anchor.getName());
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
            return new SqlScript(resource, Map.copyOf(sections));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The text of one section. */
    public String section(String name) {
        String sql = sections.get(name);
        if (sql == null) {
            throw new IllegalStateException("no section \"" + name + "\" in " + resource);
        }
        return sql;
    }

    /** A section whose {@code @SCHEMA@} placeholder names {@code schema}. */
    public String section(String name, String schema) {
        return section(name).replace("@SCHEMA@", schema);
    }
}
