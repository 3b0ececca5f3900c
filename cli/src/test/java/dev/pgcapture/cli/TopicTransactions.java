package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgcapture.agent.pulsar.TopicReader;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * A pgcapture topic read whole and checked for shape: checkpoints strictly increasing, and every
 * transaction a Begin (seq 0), its Changes and a Commit, all with the commit LSN.
 */
final class TopicTransactions {

    private static final HexFormat HEX = HexFormat.of();

    /** One transaction as the topic holds it; {@code changes} as {@link #describe} gives them. */
    record Transaction(long xid, Lsn commitLsn, Lsn endLsn, List<String> changes) {
    }

    private TopicTransactions() {
    }

    /** Every message the topic holds now, from the first, checked; fails the test on a malformed stream. */
    static List<Transaction> read(PulsarClient client, String topic) throws IOException {
        List<SourceMessage> messages = new ArrayList<>();
        try (TopicReader reader = TopicReader.fromEarliest(client, topic)) {
            for (Optional<SourceMessage> next = reader.nextAvailable(Duration.ofSeconds(30)); next.isPresent();
                 next = reader.nextAvailable(Duration.ofSeconds(30))) {
                messages.add(next.get());
            }
            assertEquals(0, reader.discardedSequences(), "fragment sequences cut short in topic " + topic);
        }
        return transactions(messages);
    }

    /** Whether the topic holds the Commit of the transaction with {@code xid}, so far. */
    static boolean holdsCommitOf(PulsarClient client, String topic, long xid) throws IOException {
        try (TopicReader reader = TopicReader.fromEarliest(client, topic)) {
            long open = -1;
            for (Optional<SourceMessage> next = reader.nextAvailable(Duration.ofSeconds(30)); next.isPresent();
                 next = reader.nextAvailable(Duration.ofSeconds(30))) {
                Message message = next.get().message();
                if (message.hasBegin()) {
                    open = Integer.toUnsignedLong(message.getBegin().getRemoteXid());
                } else if (message.hasCommit() && open == xid) {
                    return true;
                }
            }
            return false;
        }
    }

    static List<Transaction> transactions(List<SourceMessage> messages) {
        List<Transaction> transactions = new ArrayList<>();
        Checkpoint previous = null;
        Message.TypeCase expected = Message.TypeCase.BEGIN;
        long xid = 0;
        List<String> changes = null;
        for (int i = 0; i < messages.size(); i++) {
            SourceMessage message = messages.get(i);
            Checkpoint checkpoint = message.checkpoint();
            if (previous != null && !checkpoint.isAfter(previous)) {
                fail("message " + i + " of the topic has checkpoint " + checkpoint + ", not after the previous one " + previous);
            }
            Message.TypeCase kind = message.message().getTypeCase();
            switch (kind) {
                case BEGIN -> {
                    assertEquals(expected, kind, "message " + i + " at " + checkpoint);
                    assertEquals(0, checkpoint.seq(), "seq of the Begin at message " + i);
                    assertEquals(checkpoint.lsn().value(), message.message().getBegin().getFinalLsn(), "final LSN of the Begin at message " + i);
                    xid = Integer.toUnsignedLong(message.message().getBegin().getRemoteXid());
                    changes = new ArrayList<>();
                    expected = Message.TypeCase.CHANGE;
                }
                case CHANGE -> {
                    assertEquals(expected, kind, "message " + i + " at " + checkpoint);
                    assertEquals(previous.lsn(), checkpoint.lsn(), "LSN of the change at message " + i + " differs from its Begin's");
                    assertEquals(previous.seq() + 1, checkpoint.seq(), "seq of the change at message " + i);
                    changes.add(describe(message.message().getChange()));
                }
                case COMMIT -> {
                    assertTrue(expected == Message.TypeCase.CHANGE, "message " + i + " at " + checkpoint + " is a Commit outside a transaction");
                    assertEquals(previous.lsn(), checkpoint.lsn(), "LSN of the Commit at message " + i + " differs from its Begin's");
                    assertEquals(previous.seq() + 1, checkpoint.seq(), "seq of the Commit at message " + i);
                    assertEquals(checkpoint.lsn().value(), message.message().getCommit().getCommitLsn(), "commit LSN at message " + i);
                    transactions.add(new Transaction(xid, checkpoint.lsn(), new Lsn(message.message().getCommit().getEndLsn()), changes));
                    expected = Message.TypeCase.BEGIN;
                }
                default -> fail("message " + i + " at " + checkpoint + " is a " + kind + "; a topic holds Begin, Change and Commit only");
            }
            previous = checkpoint;
        }
        assertEquals(Message.TypeCase.BEGIN, expected, "the topic ends inside a transaction: the last message is " + previous);
        return transactions;
    }

    /** {@code schema.table OP name=hex …}: the new row's binary values, or the old key of a DELETE. */
    static String describe(Change change) {
        StringBuilder text = new StringBuilder(change.getSchema()).append('.').append(change.getTable()).append(' ').append(change.getOp());
        for (Field field : change.getOp() == Change.Operation.DELETE ? change.getOldList() : change.getNewList()) {
            text.append(' ').append(field.getName()).append('=');
            switch (field.getValueCase()) {
                case BINARY -> text.append(HEX.formatHex(field.getBinary().toByteArray()));
                case TEXT -> text.append("text:").append(field.getText());
                default -> text.append("NULL");
            }
        }
        return text.toString();
    }
}
