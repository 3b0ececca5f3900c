package dev.pgcapture.agent.capture;

import dev.pgcapture.agent.pgoutput.PgOutputMessage;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Begin;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Commit;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Delete;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Insert;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.LogicalMessage;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Origin;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Truncate;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Type;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Update;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Message;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Maps a decoded {@code pgoutput} stream, one message at a time and in stream order, to the
 * pgcapture messages to publish.
 *
 * <p>A transaction becomes a {@code Begin}, one {@code Change} per INSERT, UPDATE, DELETE or
 * TRUNCATE (one for all the tables of a TRUNCATE), and a {@code Commit}. Every one of them
 * carries the checkpoint {@code {lsn = the transaction's commit LSN, seq}}, {@code seq}
 * counting up from 0 at the Begin, with empty data. Relation and Type messages update the
 * {@link RelationCache}; they, Origin and logical decoding messages produce nothing.
 *
 * <p>Single-threaded and free of I/O. A message that does not fit the stream (a change outside
 * a transaction, an unknown relation, a Commit that does not match its Begin) throws an
 * {@link IllegalStateException} or {@link IllegalArgumentException} saying what is wrong; the
 * stream cannot be mapped past it, so the caller stops and starts over with a new mapper.
 */
public final class PgOutputMapper {

    private static final long MAX_SEQ = 0xFFFF_FFFFL;

    private final RelationCache relations;

    /** The open transaction's commit LSN, or null between transactions. */
    private Lsn commitLsn;
    private long nextSeq;

    /** A mapper that records the relations it sees in {@code relations}. */
    public PgOutputMapper(RelationCache relations) {
        this.relations = Objects.requireNonNull(relations, "relations");
    }

    /**
     * Maps the next message of the stream.
     *
     * @return the message to publish with its checkpoint, or empty when there is none
     * @throws IllegalStateException when the message does not fit the stream so far
     * @throws IllegalArgumentException when the message contradicts its relation's shape
     */
    public Optional<SourceMessage> map(PgOutputMessage message) {
        return switch (message) {
            case Begin begin -> Optional.of(begin(begin));
            case Commit commit -> Optional.of(commit(commit));
            case Insert insert -> change(insert, () -> Changes.insert(relations.relation(insert.relationOid()), insert));
            case Update update -> change(update, () -> Changes.update(relations.relation(update.relationOid()), update));
            case Delete delete -> change(delete, () -> Changes.delete(relations.relation(delete.relationOid()), delete));
            case Truncate truncate -> change(truncate, () -> truncate(truncate));
            case Relation relation -> {
                relations.put(relation);
                yield Optional.empty();
            }
            case Type type -> {
                relations.put(type);
                yield Optional.empty();
            }
            case Origin ignored -> Optional.empty();
            case LogicalMessage ignored -> Optional.empty();
        };
    }

    private SourceMessage begin(Begin begin) {
        if (commitLsn != null) {
            throw new IllegalStateException("Begin of the transaction committing at " + begin.finalLsn()
                    + " arrived while the transaction committing at " + commitLsn + " is still open: expected its Commit first");
        }
        commitLsn = begin.finalLsn();
        nextSeq = 0;
        return emit(Message.newBuilder().setBegin(dev.pgcapture.proto.Begin.newBuilder()
                .setFinalLsn(begin.finalLsn().value())
                .setCommitTime(begin.commitTimeMicros())
                .setRemoteXid((int) begin.xid())).build());
    }

    private SourceMessage commit(Commit commit) {
        if (commitLsn == null) {
            throw new IllegalStateException("Commit at " + commit.commitLsn() + " arrived outside a transaction: expected a Begin first");
        }
        if (!commit.commitLsn().equals(commitLsn)) {
            throw new IllegalStateException("Commit LSN " + commit.commitLsn() + " does not match the final LSN " + commitLsn
                    + " announced by the transaction's Begin");
        }
        SourceMessage mapped = emit(Message.newBuilder().setCommit(dev.pgcapture.proto.Commit.newBuilder()
                .setCommitLsn(commit.commitLsn().value())
                .setEndLsn(commit.endLsn().value())
                .setCommitTime(commit.commitTimeMicros())).build());
        commitLsn = null;
        return mapped;
    }

    private Change truncate(Truncate truncate) {
        if (truncate.relationOids().isEmpty()) {
            throw new IllegalArgumentException("Truncate lists no relations");
        }
        return Changes.truncate(truncate.relationOids().stream().map(relations::relation).toList(), truncate);
    }

    /** Maps a row change, once it is known to be inside a transaction. */
    private Optional<SourceMessage> change(PgOutputMessage change, Supplier<Change> mapping) {
        if (commitLsn == null) {
            throw new IllegalStateException(describe(change) + " arrived outside a transaction: expected a Begin first");
        }
        return Optional.of(emit(Message.newBuilder().setChange(mapping.get()).build()));
    }

    private SourceMessage emit(Message message) {
        if (nextSeq > MAX_SEQ) {
            throw new IllegalStateException("the transaction committing at " + commitLsn + " has more than " + (MAX_SEQ + 1)
                    + " messages: seq is an unsigned 32-bit number");
        }
        return new SourceMessage(Checkpoint.of(commitLsn, (int) nextSeq++), message);
    }

    private static String describe(PgOutputMessage change) {
        return switch (change) {
            case Insert insert -> "Insert on relation OID " + insert.relationOid();
            case Update update -> "Update on relation OID " + update.relationOid();
            case Delete delete -> "Delete on relation OID " + delete.relationOid();
            case Truncate truncate -> "Truncate of relation OIDs " + truncate.relationOids();
            default -> change.getClass().getSimpleName();
        };
    }
}
