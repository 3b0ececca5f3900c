package dev.pgcapture.gateway;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.proto.CaptureMessage;

/**
 * One message delivered to a client and not yet acknowledged: a live change (with the source
 * position to release when it is acknowledged) or a dump row (with its chunk).
 */
final class Entry {

    /** What an acknowledgement names: the checkpoint's lsn and seq. */
    record Key(long lsn, int seq) {

        static Key of(dev.pgcapture.proto.Checkpoint checkpoint) {
            return new Key(checkpoint.getLsn(), checkpoint.getSeq());
        }

        @Override
        public String toString() {
            return "{lsn " + Long.toUnsignedString(lsn) + ", seq " + Integer.toUnsignedString(seq) + "}";
        }
    }

    final CaptureMessage message;
    final Key key;
    final long bytes;
    /** Live changes: the source's own position and its slot in the commit log. */
    final Checkpoint sourceCheckpoint;
    final CommitLog.Slot slot;
    /** Dump rows: the chunk the row belongs to. */
    final ChunkRows chunk;

    long number;
    int sends = 1;
    int attempts;
    boolean awaitingRedelivery;

    private Entry(CaptureMessage message, Checkpoint sourceCheckpoint, CommitLog.Slot slot, ChunkRows chunk) {
        this.message = message;
        this.key = Key.of(message.getCheckpoint());
        this.bytes = message.getSerializedSize();
        this.sourceCheckpoint = sourceCheckpoint;
        this.slot = slot;
        this.chunk = chunk;
    }

    static Entry live(CaptureMessage message, Checkpoint sourceCheckpoint, CommitLog.Slot slot) {
        return new Entry(message, sourceCheckpoint, slot, null);
    }

    static Entry row(CaptureMessage message, ChunkRows chunk) {
        return new Entry(message, null, null, chunk);
    }

    boolean isRow() {
        return chunk != null;
    }

    @Override
    public String toString() {
        return isRow() ? "dump row of chunk " + Integer.toUnsignedString(key.seq()) + " (" + chunk.describe() + ")"
                : "change " + sourceCheckpoint;
    }
}
