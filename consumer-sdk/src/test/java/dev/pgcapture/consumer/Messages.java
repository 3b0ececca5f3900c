package dev.pgcapture.consumer;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Checkpoint;
import dev.pgcapture.proto.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Capture messages for unit tests, with values in PostgreSQL's binary form. */
final class Messages {

    static final int INT4 = 23;
    static final int TEXT = 25;

    private Messages() {
    }

    static Field int4(String name, int value) {
        return Field.newBuilder().setName(name).setOid(INT4).setBinary(ByteString.copyFrom(ByteBuffer.allocate(4).putInt(0, value))).build();
    }

    static Field text(String name, String value) {
        return Field.newBuilder().setName(name).setOid(TEXT).setBinary(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }

    static Field nullOf(String name, int oid) {
        return Field.newBuilder().setName(name).setOid(oid).build();
    }

    static Checkpoint checkpoint(long lsn, int seq) {
        return Checkpoint.newBuilder().setLsn(lsn).setSeq(seq).build();
    }

    static CaptureMessage.Builder change(Change.Operation op, String table, long lsn, Field... fields) {
        Change.Builder change = Change.newBuilder().setOp(op).setSchema("public").setTable(table);
        if (op == Change.Operation.DELETE) {
            for (Field field : fields) {
                change.addOld(field);
            }
        } else {
            for (Field field : fields) {
                change.addNew(field);
            }
        }
        return CaptureMessage.newBuilder().setCheckpoint(checkpoint(lsn, 0)).setChange(change)
                .setCommitTime(Timestamp.newBuilder().setSeconds(1_700_000_000L + lsn));
    }

    static CaptureMessage insert(String table, long lsn, Field... fields) {
        return change(Change.Operation.INSERT, table, lsn, fields).build();
    }

    static CaptureMessage update(String table, long lsn, Field... fields) {
        return change(Change.Operation.UPDATE, table, lsn, fields).build();
    }
}
