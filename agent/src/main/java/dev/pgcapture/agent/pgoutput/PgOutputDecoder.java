package dev.pgcapture.agent.pgoutput;

import static dev.pgcapture.agent.pgoutput.MessageReader.describeByte;

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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decodes one message of PostgreSQL's {@code pgoutput} plugin, protocol versions 1 to 4, with
 * streaming of in-progress transactions and two-phase commit off.
 *
 * <p>Pure and thread-safe: bytes in, a {@link PgOutputMessage} out; no catalog lookups, no
 * I/O. Anything else, including the stream and two-phase message types, a truncated message
 * or trailing bytes, fails with a {@link PgOutputFormatException}.
 */
public final class PgOutputDecoder {

    private static final int TRUNCATE_CASCADE = 1;
    private static final int TRUNCATE_RESTART_IDENTITY = 2;
    private static final int MESSAGE_TRANSACTIONAL = 1;

    private PgOutputDecoder() {
    }

    /**
     * Decodes the message between {@code message}'s position (its type byte) and its limit.
     * The buffer's position, limit and byte order are left as they were.
     *
     * @throws PgOutputFormatException naming the message type, the problem and its byte offset
     */
    public static PgOutputMessage decode(ByteBuffer message) {
        Objects.requireNonNull(message, "message");
        MessageReader in = new MessageReader(message);
        if (in.remaining() == 0) {
            throw in.fail("empty buffer: expected a message type byte");
        }
        int type = in.readUnsigned8("message type");
        PgOutputMessage decoded = switch (type) {
            case 'B' -> begin(named(in, "Begin", type));
            case 'C' -> commit(named(in, "Commit", type));
            case 'O' -> origin(named(in, "Origin", type));
            case 'R' -> relation(named(in, "Relation", type));
            case 'Y' -> type(named(in, "Type", type));
            case 'I' -> insert(named(in, "Insert", type));
            case 'U' -> update(named(in, "Update", type));
            case 'D' -> delete(named(in, "Delete", type));
            case 'T' -> truncate(named(in, "Truncate", type));
            case 'M' -> logicalMessage(named(in, "Logical decoding", type));
            case 'S', 'E', 'c', 'A' -> throw unsupported(in, type, "streaming of in-progress transactions");
            case 'b', 'P', 'K', 'r', 'p' -> throw unsupported(in, type, "two-phase commit");
            default -> throw in.failAt(0, "unknown message type " + describeByte(type));
        };
        in.requireEnd();
        return decoded;
    }

    private static Begin begin(MessageReader in) {
        return new Begin(in.readLsn("final LSN"), in.readInt64("commit timestamp"), in.readUnsigned32("xid"));
    }

    private static Commit commit(MessageReader in) {
        return new Commit(in.readUnsigned8("flags"), in.readLsn("commit LSN"), in.readLsn("end LSN"),
                in.readInt64("commit timestamp"));
    }

    private static Origin origin(MessageReader in) {
        return new Origin(in.readLsn("commit LSN"), in.readString("origin name"));
    }

    private static Relation relation(MessageReader in) {
        long oid = in.readUnsigned32("relation OID");
        String namespace = in.readString("namespace");
        String name = in.readString("relation name");
        char replicaIdentity = (char) in.readUnsigned8("replica identity");
        int count = in.readUnsigned16("column count");
        List<Relation.Column> columns = new ArrayList<>(Math.min(count, in.remaining()));
        for (int i = 0; i < count; i++) {
            String column = "column " + i + " ";
            columns.add(new Relation.Column(in.readUnsigned8(column + "flags"), in.readString(column + "name"),
                    in.readUnsigned32(column + "type OID"), in.readInt32(column + "type modifier")));
        }
        return new Relation(oid, namespace, name, replicaIdentity, columns);
    }

    private static Type type(MessageReader in) {
        return new Type(in.readUnsigned32("type OID"), in.readString("namespace"), in.readString("type name"));
    }

    private static Insert insert(MessageReader in) {
        long oid = in.readUnsigned32("relation OID");
        readTag(in, "tuple tag", "N");
        return new Insert(oid, TupleReader.read(in, "new tuple"));
    }

    private static Update update(MessageReader in) {
        long oid = in.readUnsigned32("relation OID");
        int tag = readTag(in, "tuple tag", "KON");
        Optional<OldTuple> old = Optional.empty();
        if (tag != 'N') {
            old = Optional.of(oldTuple(in, tag));
            readTag(in, "tuple tag after the old tuple", "N");
        }
        return new Update(oid, old, TupleReader.read(in, "new tuple"));
    }

    private static Delete delete(MessageReader in) {
        long oid = in.readUnsigned32("relation OID");
        return new Delete(oid, oldTuple(in, readTag(in, "tuple tag", "KO")));
    }

    private static Truncate truncate(MessageReader in) {
        int countOffset = in.offset();
        int count = in.readInt32("relation count");
        if (count < 0) {
            throw in.failAt(countOffset, "negative relation count " + count);
        }
        int optionsOffset = in.offset();
        int options = in.readUnsigned8("options");
        if ((options & ~(TRUNCATE_CASCADE | TRUNCATE_RESTART_IDENTITY)) != 0) {
            throw in.failAt(optionsOffset, "unknown option bits 0x" + Integer.toHexString(options)
                    + ", expected only CASCADE (1) and RESTART IDENTITY (2)");
        }
        List<Long> oids = new ArrayList<>(Math.min(count, in.remaining() / Integer.BYTES));
        for (int i = 0; i < count; i++) {
            oids.add(in.readUnsigned32("relation OID " + i + " of " + count));
        }
        return new Truncate((options & TRUNCATE_CASCADE) != 0, (options & TRUNCATE_RESTART_IDENTITY) != 0, oids);
    }

    private static LogicalMessage logicalMessage(MessageReader in) {
        int flagsOffset = in.offset();
        int flags = in.readUnsigned8("flags");
        if ((flags & ~MESSAGE_TRANSACTIONAL) != 0) {
            throw in.failAt(flagsOffset, "unknown flag bits 0x" + Integer.toHexString(flags)
                    + ", expected only transactional (1)");
        }
        return new LogicalMessage(flags == MESSAGE_TRANSACTIONAL, in.readLsn("LSN"), in.readString("prefix"),
                in.readCountedBytes("content"));
    }

    private static OldTuple oldTuple(MessageReader in, int tag) {
        OldTuple.Kind kind = tag == 'K' ? OldTuple.Kind.KEY : OldTuple.Kind.FULL_ROW;
        return new OldTuple(kind, TupleReader.read(in, tag == 'K' ? "key tuple" : "old tuple"));
    }

    /** Reads a one-byte tag that must be one of the characters of {@code allowed}. */
    private static int readTag(MessageReader in, String field, String allowed) {
        int offset = in.offset();
        int tag = in.readUnsigned8(field);
        if (allowed.indexOf(tag) < 0) {
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < allowed.length(); i++) {
                String separator = i == 0 ? "" : i == allowed.length() - 1 ? " or " : ", ";
                expected.append(separator).append('\'').append(allowed.charAt(i)).append('\'');
            }
            throw in.failAt(offset, "unexpected " + field + " " + describeByte(tag) + ", expected " + expected);
        }
        return tag;
    }

    private static MessageReader named(MessageReader in, String name, int type) {
        in.describeAs(name + " message ('" + (char) type + "')");
        return in;
    }

    private static PgOutputFormatException unsupported(MessageReader in, int type, String feature) {
        String name = switch (type) {
            case 'S' -> "Stream Start";
            case 'E' -> "Stream Stop";
            case 'c' -> "Stream Commit";
            case 'A' -> "Stream Abort";
            case 'b' -> "Begin Prepare";
            case 'P' -> "Prepare";
            case 'K' -> "Commit Prepared";
            case 'r' -> "Rollback Prepared";
            case 'p' -> "Stream Prepare";
            default -> throw new AssertionError("not a stream or two-phase message type: " + type);
        };
        return named(in, name, type).failAt(0, feature + " is not enabled for this decoder;"
                + " start replication without the streaming and two_phase options");
    }
}
