package dev.pgcapture.agent.pulsar;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.Begin;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Commit;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;

/** Change streams for tests: transactions of Begin, Changes, Commit with their checkpoints. */
public final class Streams {

    private Streams() {
    }

    /** A transaction committed at {@code commitLsn} with {@code changes} inserts of {@code valueBytes} random bytes each. */
    public static List<SourceMessage> transaction(long commitLsn, int changes, int valueBytes) {
        Lsn lsn = new Lsn(commitLsn);
        List<SourceMessage> messages = new ArrayList<>(changes + 2);
        messages.add(new SourceMessage(Checkpoint.of(lsn, 0),
                Message.newBuilder().setBegin(Begin.newBuilder().setFinalLsn(commitLsn).setCommitTime(commitLsn * 10).setRemoteXid((int) commitLsn)).build()));
        for (int seq = 1; seq <= changes; seq++) {
            messages.add(change(lsn, seq, valueBytes));
        }
        messages.add(new SourceMessage(Checkpoint.of(lsn, changes + 1),
                Message.newBuilder().setCommit(Commit.newBuilder().setCommitLsn(commitLsn).setEndLsn(commitLsn + 1).setCommitTime(commitLsn * 10)).build()));
        return messages;
    }

    /** Consecutive transactions, each {@code changes} long, committed at LSN 0x1000, 0x2000, ... */
    public static List<SourceMessage> transactions(int count, int changes, int valueBytes) {
        List<SourceMessage> messages = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            messages.addAll(transaction(0x1000L * i, changes, valueBytes));
        }
        return messages;
    }

    /** One insert with a value of {@code valueBytes} random (incompressible) bytes. */
    public static SourceMessage change(Lsn lsn, int seq, int valueBytes) {
        byte[] value = new byte[valueBytes];
        new Random(lsn.value() * 31 + seq).nextBytes(value);
        return new SourceMessage(Checkpoint.of(lsn, seq), Message.newBuilder()
                .setChange(Change.newBuilder().setOp(Change.Operation.INSERT).setSchema("public").setTable("items")
                        .addNew(Field.newBuilder().setName("id").setOid(20).setBinary(ByteString.copyFromUtf8(Integer.toString(seq))))
                        .addNew(Field.newBuilder().setName("payload").setOid(17).setBinary(ByteString.copyFrom(value))))
                .build());
    }

    /** The messages with their checkpoint's data cleared, to compare with what was applied. */
    public static List<SourceMessage> withoutData(Collection<SourceMessage> messages) {
        return messages.stream()
                .map(m -> new SourceMessage(m.checkpoint().withData(ByteString.EMPTY), m.message()))
                .toList();
    }
}
