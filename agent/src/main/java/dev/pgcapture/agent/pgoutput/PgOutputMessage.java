package dev.pgcapture.agent.pgoutput;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Lsn;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of PostgreSQL's {@code pgoutput} logical replication protocol (versions 1 to 4),
 * for a stream without streamed in-progress transactions or two-phase commit.
 *
 * <p>Conventions shared by every record: OIDs and transaction ids are unsigned 32-bit values
 * held in a {@code long} between {@code 0} and {@code 2^32 - 1}; timestamps are PostgreSQL's
 * raw {@code TimestampTz}, microseconds since 2000-01-01 00:00:00 UTC; a tuple is one
 * {@link ColumnValue} per column of the relation, in the relation's column order. Records
 * are immutable and reject out-of-range values.
 */
public sealed interface PgOutputMessage {

    /** Start of a transaction ({@code 'B'}). */
    record Begin(Lsn finalLsn, long commitTimeMicros, long xid) implements PgOutputMessage {
        public Begin {
            Objects.requireNonNull(finalLsn, "finalLsn");
            requireUnsigned32(xid, "xid");
        }
    }

    /** End of a transaction ({@code 'C'}). {@code flags} is an unsigned byte, currently always 0. */
    record Commit(int flags, Lsn commitLsn, Lsn endLsn, long commitTimeMicros) implements PgOutputMessage {
        public Commit {
            requireUnsigned8(flags, "flags");
            Objects.requireNonNull(commitLsn, "commitLsn");
            Objects.requireNonNull(endLsn, "endLsn");
        }
    }

    /** The replication origin a transaction came from ({@code 'O'}), with its commit LSN there. */
    record Origin(Lsn commitLsn, String name) implements PgOutputMessage {
        public Origin {
            Objects.requireNonNull(commitLsn, "commitLsn");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The shape of a table ({@code 'R'}), sent before the first change to it in a session and
     * again after it changes. {@code namespace} is empty for {@code pg_catalog};
     * {@code replicaIdentity} is {@code pg_class.relreplident}: {@code 'd'} default (primary
     * key), {@code 'n'} nothing, {@code 'f'} full row, {@code 'i'} a unique index.
     */
    record Relation(long relationOid, String namespace, String name, char replicaIdentity, List<Column> columns)
            implements PgOutputMessage {

        public Relation {
            requireUnsigned32(relationOid, "relationOid");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
        }

        /**
         * One column of a {@link Relation}. {@code flags} is an unsigned byte whose bit 1 marks
         * a replica identity key column; {@code typeModifier} is {@code pg_attribute.atttypmod},
         * {@code -1} when the type has none.
         */
        public record Column(int flags, String name, long typeOid, int typeModifier) {

            /** The {@code flags} bit marking a key column. */
            public static final int FLAG_KEY = 1;

            public Column {
                requireUnsigned8(flags, "flags");
                Objects.requireNonNull(name, "name");
                requireUnsigned32(typeOid, "typeOid");
            }

            /** Whether the column is part of the relation's replica identity key. */
            public boolean partOfKey() {
                return (flags & FLAG_KEY) != 0;
            }
        }
    }

    /** The name of a non-built-in data type ({@code 'Y'}), sent before a column of that type. */
    record Type(long typeOid, String namespace, String name) implements PgOutputMessage {
        public Type {
            requireUnsigned32(typeOid, "typeOid");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A row inserted ({@code 'I'}). */
    record Insert(long relationOid, List<ColumnValue> newTuple) implements PgOutputMessage {
        public Insert {
            requireUnsigned32(relationOid, "relationOid");
            newTuple = List.copyOf(newTuple);
        }
    }

    /**
     * A row updated ({@code 'U'}). The old tuple is present only when the replica identity key
     * changed ({@link OldTuple.Kind#KEY}) or the identity is {@code FULL}
     * ({@link OldTuple.Kind#FULL_ROW}).
     */
    record Update(long relationOid, Optional<OldTuple> oldTuple, List<ColumnValue> newTuple)
            implements PgOutputMessage {
        public Update {
            requireUnsigned32(relationOid, "relationOid");
            Objects.requireNonNull(oldTuple, "oldTuple");
            newTuple = List.copyOf(newTuple);
        }
    }

    /** A row deleted ({@code 'D'}), identified by its key or whole old row. */
    record Delete(long relationOid, OldTuple oldTuple) implements PgOutputMessage {
        public Delete {
            requireUnsigned32(relationOid, "relationOid");
            Objects.requireNonNull(oldTuple, "oldTuple");
        }
    }

    /** One {@code TRUNCATE} statement ({@code 'T'}) of one or more tables, with its options. */
    record Truncate(boolean cascade, boolean restartIdentity, List<Long> relationOids) implements PgOutputMessage {
        public Truncate {
            relationOids = List.copyOf(relationOids);
            relationOids.forEach(oid -> requireUnsigned32(oid, "relationOid"));
        }
    }

    /**
     * A message written by {@code pg_logical_emit_message} ({@code 'M'}). Only a
     * non-transactional message arrives outside a Begin/Commit pair. The content is an
     * immutable {@link ByteString}, compared by value.
     */
    record LogicalMessage(boolean transactional, Lsn lsn, String prefix, ByteString content)
            implements PgOutputMessage {

        public LogicalMessage {
            Objects.requireNonNull(lsn, "lsn");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(content, "content");
        }

        @Override
        public String toString() {
            return "LogicalMessage[transactional=" + transactional + ", lsn=" + lsn + ", prefix=" + prefix
                    + ", content=" + HexFormat.of().formatHex(content.toByteArray()) + "]";
        }
    }

    private static void requireUnsigned32(long value, String name) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + " must be an unsigned 32-bit value, was " + value);
        }
    }

    private static void requireUnsigned8(int value, String name) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(name + " must be an unsigned byte, was " + value);
        }
    }
}
