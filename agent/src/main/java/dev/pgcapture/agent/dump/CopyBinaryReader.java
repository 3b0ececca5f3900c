package dev.pgcapture.agent.dump;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads PostgreSQL's binary COPY format from a stream, one row at a time: the header, then rows
 * of length-prefixed fields (-1: NULL), then the trailer. Holds one row at most.
 */
final class CopyBinaryReader {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int HAS_OIDS = 1 << 16;

    private final DataInputStream in;
    private final int columns;
    private boolean started;
    private boolean finished;

    CopyBinaryReader(InputStream in, int columns) {
        this.in = new DataInputStream(in);
        this.columns = columns;
    }

    /** The next row's fields (null elements are SQL NULLs), or null after the last row. */
    byte[][] next() throws IOException {
        if (finished) {
            return null;
        }
        if (!started) {
            readHeader();
            started = true;
        }
        short count = in.readShort();
        if (count == -1) {
            finished = true;
            return null;
        }
        if (count != columns) {
            throw new IOException("COPY row has " + count + " fields, expected " + columns);
        }
        byte[][] row = new byte[columns][];
        for (int i = 0; i < columns; i++) {
            int length = in.readInt();
            if (length == -1) {
                continue;
            }
            if (length < 0) {
                throw new IOException("COPY field " + i + " has length " + length);
            }
            row[i] = new byte[length];
            in.readFully(row[i]);
        }
        return row;
    }

    private void readHeader() throws IOException {
        byte[] signature = new byte[SIGNATURE.length];
        try {
            in.readFully(signature);
        } catch (EOFException e) {
            throw new IOException("COPY output ended before its binary header", e);
        }
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw new IOException("COPY output does not start with the binary signature");
        }
        int flags = in.readInt();
        if ((flags & HAS_OIDS) != 0) {
            throw new IOException("COPY output carries OIDs, which this reader does not expect");
        }
        int extension = in.readInt();
        if (extension < 0) {
            throw new IOException("COPY header extension length " + extension);
        }
        in.skipNBytes(extension);
    }
}
