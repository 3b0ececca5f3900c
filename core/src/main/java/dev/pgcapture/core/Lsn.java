package dev.pgcapture.core;

import java.util.Objects;

/**
 * A PostgreSQL log sequence number: a position in the write-ahead log.
 *
 * <p>LSNs are unsigned 64-bit values; they compare as unsigned and print the way PostgreSQL
 * prints them, {@code X/X} in upper-case hex (for example {@code 16/B374D848}). {@link #parse}
 * accepts exactly that form and nothing else.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    /** {@code 0/0}: PostgreSQL's {@code InvalidXLogRecPtr}, before every real position. */
    public static final Lsn ZERO = new Lsn(0);

    private static final int MAX_HALF_DIGITS = 8;

    /**
     * Parses {@code X/X}: two groups of one to eight hex digits separated by a slash. Signs,
     * spaces, prefixes such as {@code 0x} and empty groups are rejected.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static Lsn parse(String text) {
        Objects.requireNonNull(text, "LSN text");
        int slash = text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("invalid LSN \"" + text + "\": expected X/X, two hex numbers separated by one '/'");
        }
        long high = parseHalf(text, text.substring(0, slash));
        long low = parseHalf(text, text.substring(slash + 1));
        return new Lsn(high << 32 | low);
    }

    private static long parseHalf(String text, String half) {
        if (half.isEmpty() || half.length() > MAX_HALF_DIGITS) {
            throw new IllegalArgumentException("invalid LSN \"" + text + "\": each side of '/' must have 1 to 8 hex digits");
        }
        long value = 0;
        for (int i = 0; i < half.length(); i++) {
            int digit = Character.digit(half.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("invalid LSN \"" + text + "\": '" + half.charAt(i) + "' is not a hex digit");
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** Whether this is {@code 0/0}. */
    public boolean isZero() {
        return value == 0;
    }

    /** Whether this LSN is strictly after {@code other}, in unsigned order. */
    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    /** Whether this LSN is strictly before {@code other}, in unsigned order. */
    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase();
    }
}
