package dev.pgcapture.bench;

import java.util.Locale;

/** Changes and their bytes per operation, for one way of encoding them; safe across threads. */
final class WireTally {

    /** The operations of a row change. */
    enum Op {
        INSERT, UPDATE, DELETE;

        /** Debezium's {@code op} field: c, u, d (r, a snapshot read, never occurs here). */
        static Op ofDebezium(String op) {
            return switch (op) {
                case "c" -> INSERT;
                case "u" -> UPDATE;
                case "d" -> DELETE;
                default -> throw new IllegalArgumentException("unexpected Debezium op '" + op + "' (expected c, u or d)");
            };
        }
    }

    private final long[] changes = new long[Op.values().length];
    private final long[] bytes = new long[Op.values().length];

    synchronized void add(Op op, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a change of " + size + " bytes");
        }
        changes[op.ordinal()]++;
        bytes[op.ordinal()] += size;
    }

    synchronized long changes(Op op) {
        return changes[op.ordinal()];
    }

    synchronized long bytes(Op op) {
        return bytes[op.ordinal()];
    }

    synchronized long changes() {
        long sum = 0;
        for (long c : changes) {
            sum += c;
        }
        return sum;
    }

    synchronized long bytes() {
        long sum = 0;
        for (long b : bytes) {
            sum += b;
        }
        return sum;
    }

    /** Mean bytes per change of {@code op}; NaN when there was none. */
    synchronized double perChange(Op op) {
        long c = changes(op);
        return c == 0 ? Double.NaN : (double) bytes(op) / c;
    }

    /** Mean bytes per change over every operation; NaN when there was none. */
    synchronized double perChange() {
        long c = changes();
        return c == 0 ? Double.NaN : (double) bytes() / c;
    }

    @Override
    public synchronized String toString() {
        return String.format(Locale.ROOT, "%d changes, %d bytes", changes(), bytes());
    }
}
