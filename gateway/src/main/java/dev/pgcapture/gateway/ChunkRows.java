package dev.pgcapture.gateway;

import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DumpInfoResponse;

/**
 * One dump chunk being delivered to a client: its rows, read one ahead so that the last is
 * known when it is sent, and how many the client has acknowledged.
 *
 * <p>The chunk is complete when every row has been read and acknowledged; only then is it
 * acknowledged to the controller.
 */
final class ChunkRows {

    /** A row to send, and whether it is the chunk's last. */
    record Row(Change change, boolean last) {
    }

    final int id;
    /** Exact mode: which table lease of the stream the chunk belongs to; 0 in shared mode. */
    final long lease;
    final DumpInfoResponse info;
    final long snapshotLsn;
    private SourceDumper.Dump dump;
    private Change lookahead;
    private boolean started;
    int sent;
    int acked;

    ChunkRows(int id, long lease, DumpInfoResponse info, SourceDumper.Dump dump) {
        this.id = id;
        this.lease = lease;
        this.info = info;
        this.dump = dump;
        this.snapshotLsn = dump.snapshotLsn().value();
    }

    /** The next row, or null when every row has been read. */
    Row next() throws Exception {
        if (!started) {
            started = true;
            lookahead = read();
        }
        if (lookahead == null) {
            return null;
        }
        Change row = lookahead;
        lookahead = read();
        sent++;
        return new Row(row, lookahead == null);
    }

    /** Whether every row has been read (and the dump closed). */
    boolean readDone() {
        return started && lookahead == null && dump == null;
    }

    /** Whether every row has been read and acknowledged. */
    boolean complete() {
        return readDone() && acked == sent;
    }

    /** Bytes held: the row read ahead. */
    long bytes() {
        return lookahead == null ? 0 : lookahead.getSerializedSize();
    }

    /** Stops reading; rows already sent stay sent. */
    void close() {
        lookahead = null;
        started = true;
        if (dump != null) {
            SourceDumper.Dump open = dump;
            dump = null;
            open.close();
        }
    }

    String describe() {
        return info.getSchema() + "." + info.getTable() + " pages " + Integer.toUnsignedString(info.getPageBegin())
                + ".." + Integer.toUnsignedString(info.getPageEnd());
    }

    private Change read() throws Exception {
        if (dump == null) {
            return null;
        }
        Change row = dump.next();
        if (row == null) {
            close();
        }
        return row;
    }
}
