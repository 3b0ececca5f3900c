package dev.pgcapture.gateway;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Begin;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Commit;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.KeepAlive;
import dev.pgcapture.proto.Message;
import java.util.ArrayList;
import java.util.List;

/** Builds change streams and reads what the gateway sent. */
final class Messages {

    static final TableName ITEMS = new TableName("public", "items");

    private Messages() {
    }

    /** A checkpoint whose data names it, as a Pulsar message id would. */
    static Checkpoint checkpoint(long lsn, int seq) {
        return new Checkpoint(new Lsn(lsn), seq, ByteString.copyFromUtf8("msg-" + lsn + "-" + seq));
    }

    static Change row(String table, int id, String value) {
        return Change.newBuilder()
                .setOp(Change.Operation.INSERT)
                .setSchema("public")
                .setTable(table)
                .addNew(Field.newBuilder().setName("id").setOid(23).setText(Integer.toString(id)))
                .addNew(Field.newBuilder().setName("v").setOid(25).setText(value))
                .build();
    }

    static SourceMessage change(long lsn, int seq, String table, int id) {
        return new SourceMessage(checkpoint(lsn, seq), Message.newBuilder().setChange(row(table, id, "v" + lsn)).build());
    }

    static SourceMessage begin(long lsn) {
        return new SourceMessage(checkpoint(lsn, 0), Message.newBuilder().setBegin(Begin.newBuilder().setFinalLsn(lsn)).build());
    }

    static SourceMessage commit(long lsn, int seq) {
        return new SourceMessage(checkpoint(lsn, seq), Message.newBuilder().setCommit(Commit.newBuilder().setCommitLsn(lsn)).build());
    }

    static SourceMessage keepAlive(long lsn) {
        return new SourceMessage(checkpoint(lsn, 0), Message.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build());
    }

    /** A transaction committed at {@code lsn} changing rows {@code ids} of {@code table}: Begin, changes, Commit. */
    static List<SourceMessage> txn(long lsn, String table, int... ids) {
        List<SourceMessage> messages = new ArrayList<>();
        messages.add(begin(lsn));
        for (int i = 0; i < ids.length; i++) {
            messages.add(change(lsn, i + 1, table, ids[i]));
        }
        messages.add(commit(lsn, ids.length + 1));
        return messages;
    }

    static DumpInfoResponse chunk(TableName table, int begin, int end, boolean last) {
        return DumpInfoResponse.newBuilder()
                .setSchema(table.schema())
                .setTable(table.table())
                .setPageBegin(begin)
                .setPageEnd(end)
                .setLastOfTable(last)
                .build();
    }

    /** Rows {@code from..to} of {@code table} (value names the state they were read in). */
    static List<Change> rows(String table, int from, int to, String value) {
        List<Change> rows = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            rows.add(row(table, id, value).toBuilder().setOp(Change.Operation.UPDATE).build());
        }
        return rows;
    }

    /** How a test names what it received: "c<lsn>/<seq>" for a change, "r<chunk>:<id>" for a dump row. */
    static String describe(CaptureMessage message) {
        if (message.getCheckpoint().getLsn() == 0) {
            return "r" + message.getCheckpoint().getSeq() + ":" + message.getChange().getNew(0).getText();
        }
        return "c" + message.getCheckpoint().getLsn() + "/" + message.getCheckpoint().getSeq();
    }

    static List<String> describe(List<CaptureMessage> messages) {
        return messages.stream().map(Messages::describe).toList();
    }
}
