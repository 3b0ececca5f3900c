package dev.pgcapture.core.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads bearer-token files: one token a line, blank lines and lines starting with {@code #}
 * ignored, surrounding spaces trimmed. A server accepts every token of its file (several, so that
 * a token can be rotated without downtime); a client sends the first one. Error messages name
 * the file and the line, never a token.
 */
public final class BearerTokens {

    private BearerTokens() {
    }

    /**
     * The tokens of {@code file}, in file order.
     *
     * @throws IllegalArgumentException when the file cannot be read, holds no token, or a token
     *     has a character that cannot travel in an HTTP header (only visible ASCII, no spaces)
     */
    public static List<String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("token file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read token file " + file + ": " + e, e);
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("token file " + file + " line " + (i + 1)
                        + ": a token may hold only visible ASCII characters, no spaces");
            }
            tokens.add(line);
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("token file " + file + " holds no token (one token a line; blank lines and"
                    + " # comments do not count)");
        }
        return List.copyOf(tokens);
    }

    /** The first token of {@code file}: what a client sends. Fails as {@link #read} does. */
    public static String first(Path file) {
        return read(file).get(0);
    }
}
