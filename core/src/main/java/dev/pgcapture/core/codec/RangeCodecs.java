package dev.pgcapture.core.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Ranges ({@code range_send}: a flags byte, then each finite bound with its length) and
 * multiranges ({@code multirange_send}: a range count, then each range with its length). A
 * multirange decodes to an unmodifiable list of its ranges and prints as {@code {[1,3),[5,7)}}.
 */
final class RangeCodecs {

    private static final int EMPTY = 0x01;
    private static final int LOWER_INCLUSIVE = 0x02;
    private static final int UPPER_INCLUSIVE = 0x04;
    private static final int LOWER_INFINITE = 0x08;
    private static final int UPPER_INFINITE = 0x10;
    private static final int KNOWN_FLAGS = EMPTY | LOWER_INCLUSIVE | UPPER_INCLUSIVE | LOWER_INFINITE | UPPER_INFINITE;

    private RangeCodecs() {
    }

    /** The codec of ranges of {@code subtype}. */
    static Codec<PgRange<?>> range(int oid, String name, Codec<?> subtype) {
        return new Codec<PgRange<?>>(oid, name, Codec.generic(PgRange.class), in -> read(in, subtype), range -> text(range, subtype))
                .madeOf(subtype.oid());
    }

    /** The codec of multiranges of the range type {@code range}. */
    static Codec<List<?>> multirange(int oid, String name, Codec<?> range) {
        return new Codec<List<?>>(oid, name, Codec.generic(List.class), in -> {
            int count = Bytes.count(in, 5, "range");
            List<Object> ranges = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ranges.add(range.decodeNested(Bytes.lengthPrefixed(in, false, "range " + (i + 1)), "range " + (i + 1)));
            }
            return Collections.unmodifiableList(ranges);
        }, ranges -> {
            StringBuilder out = new StringBuilder("{");
            for (Object r : ranges) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(range.textOf(r));
            }
            return out.append('}').toString();
        }).madeOf(range.oid());
    }

    private static PgRange<?> read(ByteBuffer in, Codec<?> subtype) {
        int flags = in.get() & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new Codec.BadValue("range flags 0x" + Integer.toHexString(flags) + " hold unknown bits");
        }
        if ((flags & EMPTY) != 0) {
            if (flags != EMPTY) {
                throw new Codec.BadValue("range flags 0x" + Integer.toHexString(flags) + " mark an empty range with bounds");
            }
            return PgRange.empty();
        }
        PgRange.Bound<Object> lower = bound(in, subtype, flags, LOWER_INFINITE, LOWER_INCLUSIVE, "lower bound");
        PgRange.Bound<Object> upper = bound(in, subtype, flags, UPPER_INFINITE, UPPER_INCLUSIVE, "upper bound");
        return PgRange.of(lower, upper);
    }

    private static PgRange.Bound<Object> bound(ByteBuffer in, Codec<?> subtype, int flags, int infinite, int inclusive,
            String which) {
        if ((flags & infinite) != 0) {
            if ((flags & inclusive) != 0) {
                throw new Codec.BadValue(which + " is both infinite and inclusive");
            }
            return PgRange.Bound.unbounded();
        }
        Object value = subtype.decodeNested(Bytes.lengthPrefixed(in, false, which), which);
        return (flags & inclusive) != 0 ? PgRange.Bound.inclusive(value) : PgRange.Bound.exclusive(value);
    }

    private static String text(PgRange<?> range, Codec<?> subtype) {
        return switch (range) {
            case PgRange.Empty<?> empty -> "empty";
            case PgRange.Bounded<?> bounded -> {
                StringBuilder out = new StringBuilder();
                out.append(bounded.lower() instanceof PgRange.Inclusive<?> ? '[' : '(');
                boundText(out, bounded.lower(), subtype);
                out.append(',');
                boundText(out, bounded.upper(), subtype);
                out.append(bounded.upper() instanceof PgRange.Inclusive<?> ? ']' : ')');
                yield out.toString();
            }
        };
    }

    private static void boundText(StringBuilder out, PgRange.Bound<?> bound, Codec<?> subtype) {
        switch (bound) {
            case PgRange.Unbounded<?> unbounded -> {
            }
            case PgRange.Inclusive<?> inclusive -> TextQuoting.rangeBound(out, subtype.textOf(inclusive.value()));
            case PgRange.Exclusive<?> exclusive -> TextQuoting.rangeBound(out, subtype.textOf(exclusive.value()));
        }
    }
}
