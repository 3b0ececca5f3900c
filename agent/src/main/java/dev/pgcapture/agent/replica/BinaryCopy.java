package dev.pgcapture.agent.replica;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes PostgreSQL's binary {@code COPY} format ({@code PGCOPY}): a signature and header, then
 * per row a field count and each field as a 32-bit length (-1 for NULL) and the value in its
 * type's binary send form, then a trailer. The bytes of a pgoutput binary value are exactly such
 * a value. Not thread-safe.
 */
final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    private final DataOutputStream out = new DataOutputStream(bytes);

    BinaryCopy() {
        try {
            out.write(SIGNATURE);
            out.writeInt(0); // flags: no OIDs
            out.writeInt(0); // no header extension
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a row of {@code fields} fields. */
    BinaryCopy row(int fields) {
        try {
            out.writeShort(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A 4-byte integer field. */
    BinaryCopy int4(int value) {
        try {
            out.writeInt(4);
            out.writeInt(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A field holding {@code value} as is; null writes SQL NULL. */
    BinaryCopy value(ByteString value) {
        try {
            if (value == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(value.size());
                value.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The whole stream, trailer included; write no more after it. */
    byte[] finish() {
        try {
            out.writeShort(-1);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
