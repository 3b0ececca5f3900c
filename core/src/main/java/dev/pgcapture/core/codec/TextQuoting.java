package dev.pgcapture.core.codec;

/**
 * How PostgreSQL quotes a value's text inside the text of an array, a composite or a range:
 * within double quotes when it is empty or holds a character with a meaning there, with
 * {@code "} and {@code \} escaped (by a backslash in arrays, by doubling in composites and
 * ranges). Whitespace means ASCII whitespace, as in PostgreSQL's {@code isspace} on bytes.
 */
final class TextQuoting {

    private TextQuoting() {
    }

    /** An array element ({@code array_out}); "NULL" in any case is quoted, lest it read as SQL NULL. */
    static void arrayElement(StringBuilder out, String value, char delimiter) {
        boolean quote = value.isEmpty() || value.equalsIgnoreCase("NULL");
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == '"' || c == '\\' || c == '{' || c == '}' || c == delimiter || isSpace(c);
        }
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** A composite attribute ({@code record_out}). */
    static void compositeAttribute(StringBuilder out, String value) {
        doubling(out, value, "\"\\(),");
    }

    /** A range bound ({@code range_bound_escape}). */
    static void rangeBound(StringBuilder out, String value) {
        doubling(out, value, "\"\\()[],");
    }

    private static void doubling(StringBuilder out, String value, String special) {
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = special.indexOf(c) >= 0 || isSpace(c);
        }
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append(c);
            }
            out.append(c);
        }
        out.append('"');
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
