package dev.pgcapture.agent.pgoutput;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds {@code pgoutput} messages byte by byte, big-endian, the way PostgreSQL writes them. */
final class MessageWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A message starting with its type byte. */
    static MessageWriter message(char type) {
        return new MessageWriter().u8(type);
    }

    MessageWriter u8(int value) {
        out.write(value);
        return this;
    }

    MessageWriter i16(int value) {
        return u8(value >>> 8).u8(value);
    }

    MessageWriter i32(int value) {
        return i16(value >>> 16).i16(value);
    }

    MessageWriter i64(long value) {
        return i32((int) (value >>> 32)).i32((int) value);
    }

    /** A NUL-terminated UTF-8 string. */
    MessageWriter string(String value) {
        return raw(value.getBytes(StandardCharsets.UTF_8)).u8(0);
    }

    MessageWriter raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** An Int32 length followed by the bytes. */
    MessageWriter counted(byte[] bytes) {
        return i32(bytes.length).raw(bytes);
    }

    /** The header of TupleData: its column count. */
    MessageWriter tuple(int columns) {
        return i16(columns);
    }

    MessageWriter nullValue() {
        return u8('n');
    }

    MessageWriter unchangedToast() {
        return u8('u');
    }

    MessageWriter text(String value) {
        return u8('t').counted(value.getBytes(StandardCharsets.UTF_8));
    }

    MessageWriter binary(byte... value) {
        return u8('b').counted(value);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** The message alone in a heap buffer. */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes());
    }

    /** The first {@code length} bytes of the message. */
    ByteBuffer truncatedTo(int length) {
        return ByteBuffer.wrap(Arrays.copyOf(bytes(), length));
    }

    /**
     * The message in the middle of a larger array of junk, the way pgjdbc hands out a
     * CopyData payload: position at the type byte, limit after the message's last byte.
     */
    ByteBuffer insideLargerArray(int junkBefore, int junkAfter) {
        byte[] message = bytes();
        byte[] array = new byte[junkBefore + message.length + junkAfter];
        Arrays.fill(array, (byte) 0x7E);
        System.arraycopy(message, 0, array, junkBefore, message.length);
        return ByteBuffer.wrap(array, junkBefore, message.length);
    }

    /** The message as a slice of a larger array: position 0, but a non-zero array offset. */
    ByteBuffer sliceOfLargerArray(int junkBefore, int junkAfter) {
        return insideLargerArray(junkBefore, junkAfter).slice();
    }
}
