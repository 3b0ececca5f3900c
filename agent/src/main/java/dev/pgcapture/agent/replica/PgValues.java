package dev.pgcapture.agent.replica;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoders of the few PostgreSQL value forms a {@code ddl_logs} row needs beyond text: one-dimensional
 * {@code text[]} in binary ({@code array_send}) and text ({@code array_out}) form, and
 * {@code timestamptz} in ISO text form. Pure: bytes or text in, values out.
 */
final class PgValues {

    private PgValues() {
    }

    /** A binary one-dimensional array of text-like elements; NULL elements are {@code null}. */
    static List<String> binaryTextArray(ByteBuffer bytes, String what) {
        try {
            int dimensions = bytes.getInt();
            bytes.getInt(); // has-nulls flag: each element says it itself
            bytes.getInt(); // element type OID
            if (dimensions == 0) {
                return List.of();
            }
            if (dimensions != 1) {
                throw new IllegalArgumentException(what + " has " + dimensions + " dimensions, expected 1");
            }
            int length = bytes.getInt();
            bytes.getInt(); // lower bound
            List<String> elements = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                int size = bytes.getInt();
                if (size < 0) {
                    elements.add(null);
                } else {
                    byte[] element = new byte[size];
                    bytes.get(element);
                    elements.add(new String(element, StandardCharsets.UTF_8));
                }
            }
            if (bytes.hasRemaining()) {
                throw new IllegalArgumentException(what + " has " + bytes.remaining() + " bytes after its last element");
            }
            return elements;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException(what + " is a truncated binary array", e);
        }
    }

    /** A one-dimensional array in {@code array_out} form: {@code {a,"b c","d\"e",NULL}}. */
    static List<String> textArray(String text, String what) {
        if (text.length() < 2 || text.charAt(0) != '{' || text.charAt(text.length() - 1) != '}') {
            throw new IllegalArgumentException(what + " is not an array literal: " + text);
        }
        List<String> elements = new ArrayList<>();
        int end = text.length() - 1;
        int pos = 1;
        if (pos == end) {
            return elements;
        }
        while (true) {
            StringBuilder element = new StringBuilder();
            boolean quoted = pos < end && text.charAt(pos) == '"';
            if (quoted) {
                pos++;
                while (pos < end && text.charAt(pos) != '"') {
                    if (text.charAt(pos) == '\\') {
                        pos++;
                    }
                    element.append(text.charAt(pos++));
                }
                if (pos >= end) {
                    throw new IllegalArgumentException(what + " has an unterminated quoted element: " + text);
                }
                pos++; // closing quote
            } else {
                while (pos < end && text.charAt(pos) != ',') {
                    char c = text.charAt(pos);
                    if (c == '{' || c == '"') {
                        throw new IllegalArgumentException(what + " is not a one-dimensional array of plain elements: " + text);
                    }
                    if (c == '\\' && pos + 1 < end) {
                        c = text.charAt(++pos);
                    }
                    element.append(c);
                    pos++;
                }
            }
            String value = element.toString();
            elements.add(!quoted && value.equalsIgnoreCase("NULL") ? null : value);
            if (pos == end) {
                return elements;
            }
            if (text.charAt(pos) != ',') {
                throw new IllegalArgumentException(what + " has '" + text.charAt(pos) + "' after an element: " + text);
            }
            pos++;
        }
    }

    /**
     * A {@code timestamptz} as PostgreSQL prints it with {@code DateStyle} ISO:
     * {@code 2024-05-01 10:00:00.123456+02}, the offset as {@code +HH}, {@code +HH:MM} or {@code +HH:MM:SS}.
     */
    static Instant timestamptz(String text, String what) {
        int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        if (sign < "yyyy-mm-dd hh:mm:ss".length()) {
            throw new IllegalArgumentException(what + " is not an ISO timestamptz: " + text);
        }
        try {
            LocalDateTime local = LocalDateTime.parse(text.substring(0, sign).replace(' ', 'T'));
            return local.toInstant(ZoneOffset.of(text.substring(sign)));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(what + " is not an ISO timestamptz: " + text, e);
        }
    }
}
