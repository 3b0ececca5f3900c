package dev.pgcapture.core.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reading helpers for binary values. */
final class Bytes {

    private Bytes() {
    }

    /** The remaining bytes as UTF-8 text; malformed UTF-8 or a NUL byte is a {@link Codec.BadValue}. */
    static String utf8(ByteBuffer in) {
        int length = in.remaining();
        boolean ascii = true;
        for (int i = in.position(); i < in.limit(); i++) {
            byte b = in.get(i);
            if (b == 0) {
                throw new Codec.BadValue("text holds a NUL byte at offset " + (i - in.position()));
            }
            if (b < 0) {
                ascii = false;
            }
        }
        if (ascii) {
            byte[] bytes = new byte[length];
            in.get(bytes);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new Codec.BadValue("text is not valid UTF-8: " + e.getMessage(), e);
        }
    }

    /** The remaining bytes, copied. */
    static byte[] rest(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return bytes;
    }

    /**
     * The next length-prefixed value ({@code int32} length, then that many bytes) as a buffer of
     * its own; null for length -1 (SQL NULL) when {@code nullable}.
     */
    static ByteBuffer lengthPrefixed(ByteBuffer in, boolean nullable, String what) {
        int length = in.getInt();
        if (length == -1 && nullable) {
            return null;
        }
        if (length < 0) {
            throw new Codec.BadValue(what + " has length " + length);
        }
        if (length > in.remaining()) {
            throw new Codec.BadValue(what + " has length " + length + " but only " + in.remaining() + " bytes follow");
        }
        ByteBuffer value = in.slice(in.position(), length);
        in.position(in.position() + length);
        return value;
    }

    /** The next {@code int32} as a count of things each taking at least {@code minBytes}, checked against what is left. */
    static int count(ByteBuffer in, int minBytes, String what) {
        int count = in.getInt();
        if (count < 0) {
            throw new Codec.BadValue(what + " count " + count + " is negative");
        }
        if ((long) count * minBytes > in.remaining()) {
            throw new Codec.BadValue(what + " count " + count + " does not fit the " + in.remaining() + " bytes that follow");
        }
        return count;
    }
}
