package dev.pgcapture.core;

import com.google.protobuf.ByteString;
import java.util.Comparator;
import java.util.Objects;

/**
 * A position in the change stream, as the wire protocol's {@code Checkpoint} carries it.
 *
 * <p>For a live change, {@code lsn} is the commit LSN of its transaction and {@code seq} its
 * position within that transaction, counting up; {@code data} is opaque to the ordering (the
 * Pulsar message id, for example). Checkpoints order by {@code lsn}, then {@code seq}, both
 * unsigned; {@code data} takes no part in the order, so two checkpoints can compare equal
 * without being {@link #equals equal}.
 *
 * @param lsn the commit LSN
 * @param seq the position in the transaction, an unsigned 32-bit number
 * @param data an opaque payload, never null
 */
public record Checkpoint(Lsn lsn, int seq, ByteString data) implements Comparable<Checkpoint> {

    /** The position before every change. */
    public static final Checkpoint ZERO = new Checkpoint(Lsn.ZERO, 0, ByteString.EMPTY);

    private static final Comparator<Checkpoint> ORDER = Comparator.comparing(Checkpoint::lsn)
            .thenComparing(Checkpoint::seq, Integer::compareUnsigned);

    public Checkpoint {
        Objects.requireNonNull(lsn, "lsn");
        Objects.requireNonNull(data, "data");
    }

    /** A checkpoint without data. */
    public static Checkpoint of(Lsn lsn, int seq) {
        return new Checkpoint(lsn, seq, ByteString.EMPTY);
    }

    /** Reads the wire form. */
    public static Checkpoint fromProto(dev.pgcapture.proto.Checkpoint proto) {
        return new Checkpoint(new Lsn(proto.getLsn()), proto.getSeq(), proto.getData());
    }

    /** The wire form. */
    public dev.pgcapture.proto.Checkpoint toProto() {
        return dev.pgcapture.proto.Checkpoint.newBuilder()
                .setLsn(lsn.value())
                .setSeq(seq)
                .setData(data)
                .build();
    }

    /** The same position with other data. */
    public Checkpoint withData(ByteString newData) {
        return new Checkpoint(lsn, seq, newData);
    }

    /** Whether this checkpoint is strictly after {@code other} in stream order. */
    public boolean isAfter(Checkpoint other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Checkpoint other) {
        return ORDER.compare(this, other);
    }

    /** {@code <lsn as X/X>|<seq in hex>}, the form Pulsar message keys use; {@code data} is left out. */
    @Override
    public String toString() {
        return lsn + "|" + Integer.toHexString(seq);
    }
}
