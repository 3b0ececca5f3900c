package dev.pgcapture.core.codec;

import dev.pgcapture.core.Lsn;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The string-like types, {@code bytea}, {@code uuid}, the bit strings, {@code tsvector} and
 * {@code pg_lsn}. Text arrives as UTF-8 (the replication connection's client encoding) and
 * decodes strictly: malformed UTF-8 or a NUL byte is an error, never a replacement character.
 * {@code bpchar} keeps its padding, as its output function prints it. {@code "char"} decodes to
 * its text form ({@code a}, {@code \351} for a byte above 127, the empty string for 0). The bit
 * strings decode to their digits ({@code "0101"}), {@code tsvector} to its text form.
 */
final class TextCodecs {

    private static final HexFormat HEX = HexFormat.of();

    private TextCodecs() {
    }

    static List<Codec<?>> all() {
        return List.of(
                text(25, "text"),
                text(1043, "varchar"),
                text(1042, "bpchar"),
                text(19, "name"),
                text(114, "json"),
                text(142, "xml"),
                text(705, "unknown"),
                new Codec<>(3802, "jsonb", String.class, in -> versioned(in, "jsonb"), s -> s),
                new Codec<>(4072, "jsonpath", String.class, in -> versioned(in, "jsonpath"), s -> s),
                Codec.fixed(18, "char", String.class, 1, TextCodecs::singleChar, s -> s),
                new Codec<>(17, "bytea", byte[].class, Bytes::rest, b -> "\\x" + HEX.formatHex(b)),
                Codec.fixed(2950, "uuid", UUID.class, 16, in -> new UUID(in.getLong(), in.getLong()), UUID::toString),
                new Codec<>(1560, "bit", String.class, TextCodecs::bits, TextCodecs::checkBits),
                new Codec<>(1562, "varbit", String.class, TextCodecs::bits, TextCodecs::checkBits),
                new Codec<>(3614, "tsvector", String.class, TsVectorText::read, s -> s),
                Codec.fixed(3220, "pg_lsn", Lsn.class, 8, in -> new Lsn(in.getLong()), Lsn::toString));
    }

    private static Codec<String> text(int oid, String name) {
        return new Codec<>(oid, name, String.class, Bytes::utf8, s -> s);
    }

    /** A version byte (1), then the text. */
    private static String versioned(ByteBuffer in, String name) {
        byte version = in.get();
        if (version != 1) {
            throw new Codec.BadValue(name + " format version " + version + " is not 1");
        }
        return Bytes.utf8(in);
    }

    private static String singleChar(ByteBuffer in) {
        int b = in.get() & 0xFF;
        if (b == 0) {
            return "";
        }
        if (b < 0x80) {
            return String.valueOf((char) b);
        }
        return "\\" + (b >> 6) + (b >> 3 & 7) + (b & 7);
    }

    /** The bit count, then the bits, most significant first, padded with zeros to whole bytes. */
    private static String bits(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            throw new Codec.BadValue("bit length " + length + " is negative");
        }
        int bytes = (int) ((length + 7L) / 8);
        if (in.remaining() != bytes) {
            throw new Codec.BadValue("bit length " + length + " needs " + bytes + " bytes, got " + in.remaining());
        }
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < bytes; i++) {
            int b = in.get() & 0xFF;
            for (int bit = 7; bit >= 0 && out.length() < length; bit--) {
                out.append((b >> bit & 1) == 1 ? '1' : '0');
            }
        }
        return out.toString();
    }

    private static String checkBits(String bits) {
        for (int i = 0; i < bits.length(); i++) {
            char c = bits.charAt(i);
            if (c != '0' && c != '1') {
                throw new IllegalArgumentException("bit string \"" + bits + "\" holds '" + c + "', not only 0 and 1");
            }
        }
        return bits;
    }
}
