package dev.pgcapture.agent.pgoutput;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Lsn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one {@code pgoutput} message: reads big-endian fields in order and fails
 * with a {@link PgOutputFormatException} naming the message, the field and the offset.
 */
final class MessageReader {

    private final ByteBuffer buffer;
    private final int start;
    private String messageType = "message";

    /** Reads {@code source} from its position to its limit, leaving {@code source} untouched. */
    MessageReader(ByteBuffer source) {
        this.buffer = source.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.start = buffer.position();
    }

    /** Names the message in every later error, e.g. {@code Insert message ('I')}. */
    void describeAs(String messageType) {
        this.messageType = messageType;
    }

    int offset() {
        return buffer.position() - start;
    }

    int remaining() {
        return buffer.remaining();
    }

    int readUnsigned8(String field) {
        require(1, field);
        return Byte.toUnsignedInt(buffer.get());
    }

    int readUnsigned16(String field) {
        require(2, field);
        return Short.toUnsignedInt(buffer.getShort());
    }

    int readInt32(String field) {
        require(4, field);
        return buffer.getInt();
    }

    long readUnsigned32(String field) {
        return Integer.toUnsignedLong(readInt32(field));
    }

    long readInt64(String field) {
        require(8, field);
        return buffer.getLong();
    }

    Lsn readLsn(String field) {
        return new Lsn(readInt64(field));
    }

    /** Reads an Int32 length that must not be negative, then that many bytes, copied once. */
    ByteString readCountedBytes(String field) {
        int lengthOffset = offset();
        int length = readInt32(field + " length");
        if (length < 0) {
            throw failAt(lengthOffset, "negative " + field + " length " + length);
        }
        require(length, field);
        return ByteString.copyFrom(buffer, length);
    }

    /** Reads a NUL-terminated UTF-8 string. */
    String readString(String field) {
        int from = buffer.position();
        int nul = from;
        while (nul < buffer.limit() && buffer.get(nul) != 0) {
            nul++;
        }
        if (nul == buffer.limit()) {
            throw fail("truncated: " + field + " has no terminating NUL byte");
        }
        ByteBuffer encoded = buffer.slice(from, nul - from);
        CharBuffer chars = CharBuffer.allocate(encoded.remaining());
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        CoderResult result = decoder.decode(encoded, chars, true);
        if (result.isError()) {
            throw failAt(from - start + encoded.position(), field + " is not valid UTF-8");
        }
        decoder.flush(chars);
        buffer.position(nul + 1);
        return chars.flip().toString();
    }

    /** Fails unless every byte has been read. */
    void requireEnd() {
        if (buffer.hasRemaining()) {
            throw fail(buffer.remaining() + " unexpected trailing byte(s) after the end of the message");
        }
    }

    /** A byte as a quoted character when printable ASCII, always with its hex value. */
    static String describeByte(int unsignedByte) {
        String hex = String.format("0x%02X", unsignedByte);
        return unsignedByte >= 0x20 && unsignedByte < 0x7F ? "'" + (char) unsignedByte + "' (" + hex + ")" : hex;
    }

    PgOutputFormatException fail(String problem) {
        return failAt(offset(), problem);
    }

    PgOutputFormatException failAt(int offset, String problem) {
        return new PgOutputFormatException(messageType, offset, problem);
    }

    private void require(int bytes, String field) {
        if (buffer.remaining() < bytes) {
            throw fail("truncated: " + field + " needs " + bytes + " byte(s), " + buffer.remaining() + " left");
        }
    }
}
