package dev.pgcapture.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A schema-qualified table name, parsed from and printed in SQL identifier syntax.
 *
 * <p>Unquoted identifiers fold to lower case, as PostgreSQL folds them; quoted ones keep their
 * case and may contain anything, a doubled quote standing for one: {@code "Public"."T""1"} is
 * schema {@code Public}, table {@code T"1}. A name without a schema is in {@code public}.
 */
public record TableName(String schema, String table) {

    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        if (schema.isEmpty() || table.isEmpty()) {
            throw new IllegalArgumentException("schema and table names must not be empty");
        }
    }

    /**
     * Parses {@code schema.table} or {@code table}.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static TableName parse(String text) {
        List<String> parts = new IdentifierParser(text).parts();
        return switch (parts.size()) {
            case 1 -> new TableName("public", parts.get(0));
            case 2 -> new TableName(parts.get(0), parts.get(1));
            default -> throw new IllegalArgumentException(
                    "invalid table name \"" + text + "\": expected schema.table, found " + parts.size() + " dotted parts");
        };
    }

    /**
     * Parses a comma-separated list such as {@code public.orders,"Sales"."Line, items"}; commas
     * inside quotes belong to the name. Blank entries are rejected.
     */
    public static List<TableName> parseList(String text) {
        List<TableName> tables = new ArrayList<>();
        for (String item : splitOutsideQuotes(text, ',')) {
            if (item.isBlank()) {
                throw new IllegalArgumentException("invalid table list \"" + text + "\": an entry is empty");
            }
            tables.add(parse(item.strip()));
        }
        return List.copyOf(tables);
    }

    /** {@code "schema"."table"}, quoted where PostgreSQL needs it, ready to put into SQL. */
    public String quoted() {
        return quoteIdentifier(schema) + "." + quoteIdentifier(table);
    }

    /** An identifier as SQL must spell it: bare when it is a plain lower-case name, quoted otherwise. */
    public static String quoteIdentifier(String identifier) {
        if (identifier.matches("[a-z_][a-z0-9_$]*") && !SqlKeywords.isReserved(identifier)) {
            return identifier;
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return quoted();
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted; // a doubled quote toggles twice: still correct
            }
            if (c == separator && !quoted) {
                items.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        items.add(current.toString());
        return items;
    }

    /** Splits {@code a."B.c"} into its dotted identifiers, folding and unquoting them. */
    private static final class IdentifierParser {
        private final String text;
        private int pos;

        IdentifierParser(String text) {
            this.text = Objects.requireNonNull(text, "table name");
        }

        List<String> parts() {
            List<String> parts = new ArrayList<>();
            while (true) {
                parts.add(identifier());
                if (pos == text.length()) {
                    return parts;
                }
                if (text.charAt(pos) != '.') {
                    throw error("unexpected '" + text.charAt(pos) + "' at position " + pos);
                }
                pos++;
            }
        }

        private String identifier() {
            if (pos == text.length()) {
                throw error("a name is missing at position " + pos);
            }
            if (text.charAt(pos) == '"') {
                return quoted();
            }
            int start = pos;
            while (pos < text.length() && isBareChar(text.charAt(pos), pos == start)) {
                pos++;
            }
            if (pos == start) {
                throw error("unexpected '" + text.charAt(pos) + "' at position " + pos + " (quote names with other characters)");
            }
            return text.substring(start, pos).toLowerCase(Locale.ROOT);
        }

        private String quoted() {
            StringBuilder name = new StringBuilder();
            pos++; // opening quote
            while (true) {
                if (pos >= text.length()) {
                    throw error("a quoted name is not closed");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    if (pos < text.length() && text.charAt(pos) == '"') {
                        name.append('"');
                        pos++;
                    } else {
                        break;
                    }
                } else {
                    name.append(c);
                }
            }
            if (name.isEmpty()) {
                throw error("a quoted name is empty");
            }
            return name.toString();
        }

        private static boolean isBareChar(char c, boolean first) {
            return Character.isLetter(c) || c == '_' || (!first && (Character.isDigit(c) || c == '$'));
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid table name \"" + text + "\": " + what);
        }
    }
}
