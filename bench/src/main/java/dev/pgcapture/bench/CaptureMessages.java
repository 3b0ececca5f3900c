package dev.pgcapture.bench;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.Begin;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Commit;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A deterministic stream of capture-like messages: transactions of a Begin, {@code changes}
 * INSERTs of a row {@code (id int8, n int4, payload text of 100 bytes, at timestamptz)} in
 * binary, and a Commit, with strictly increasing checkpoints as the agent produces them.
 */
final class CaptureMessages {

    private static final int INT8 = 20;
    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final int BYTEA = 17;
    private static final int TIMESTAMPTZ = 1184;
    private static final long LSN_STEP = 0x10000;

    private final int changesPerTransaction;
    private long lsn = 0x1000000;
    private int seq = -1;
    private long id;

    CaptureMessages(int changesPerTransaction) {
        this.changesPerTransaction = changesPerTransaction;
    }

    /** The next message of the stream. */
    SourceMessage next() {
        seq++;
        Checkpoint checkpoint = Checkpoint.of(new Lsn(lsn), seq);
        Message message;
        if (seq == 0) {
            message = Message.newBuilder().setBegin(Begin.newBuilder().setFinalLsn(lsn).setCommitTime(commitTime()).setRemoteXid((int) (lsn >>> 16))).build();
        } else if (seq <= changesPerTransaction) {
            message = Message.newBuilder().setChange(row(++id)).build();
        } else {
            message = Message.newBuilder().setCommit(Commit.newBuilder().setCommitLsn(lsn).setEndLsn(lsn + 64).setCommitTime(commitTime())).build();
            lsn += LSN_STEP;
            seq = -1;
        }
        return new SourceMessage(checkpoint, message);
    }

    /** The messages of one transaction holding a single change of {@code bytes} random bytes (one bytea column). */
    SourceMessage[] bigTransaction(int bytes, long seed) {
        if (seq != -1) {
            throw new IllegalStateException("a big transaction starts only between transactions");
        }
        byte[] value = new byte[bytes];
        new Random(seed).nextBytes(value); // incompressible, as a blob often is
        Change change = Change.newBuilder().setOp(Change.Operation.INSERT).setSchema("public").setTable("bench_blobs")
                .addNew(Field.newBuilder().setName("id").setOid(INT8).setBinary(int8(++id)))
                .addNew(Field.newBuilder().setName("blob").setOid(BYTEA).setBinary(ByteString.copyFrom(value)))
                .build();
        SourceMessage[] messages = {
                new SourceMessage(Checkpoint.of(new Lsn(lsn), 0), Message.newBuilder().setBegin(Begin.newBuilder().setFinalLsn(lsn).setCommitTime(commitTime())).build()),
                new SourceMessage(Checkpoint.of(new Lsn(lsn), 1), Message.newBuilder().setChange(change).build()),
                new SourceMessage(Checkpoint.of(new Lsn(lsn), 2), Message.newBuilder().setCommit(Commit.newBuilder().setCommitLsn(lsn).setEndLsn(lsn + 64).setCommitTime(commitTime())).build()),
        };
        lsn += bytes + LSN_STEP;
        return messages;
    }

    private long commitTime() {
        return 800_000_000_000_000L + lsn;
    }

    private static Change row(long id) {
        byte[] payload = new byte[100];
        String digits = Long.toString(id);
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) digits.charAt(i % digits.length());
        }
        return Change.newBuilder().setOp(Change.Operation.INSERT).setSchema("public").setTable("bench_rows")
                .addNew(Field.newBuilder().setName("id").setOid(INT8).setBinary(int8(id)))
                .addNew(Field.newBuilder().setName("n").setOid(INT4).setBinary(ByteString.copyFrom(ByteBuffer.allocate(4).putInt(0, (int) (id % 1000)))))
                .addNew(Field.newBuilder().setName("payload").setOid(TEXT).setBinary(ByteString.copyFrom(new String(payload, StandardCharsets.US_ASCII), StandardCharsets.US_ASCII)))
                .addNew(Field.newBuilder().setName("at").setOid(TIMESTAMPTZ).setBinary(int8(800_000_000_000_000L + id)))
                .build();
    }

    private static ByteString int8(long value) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(0, value));
    }
}
