package dev.pgcapture.agent.replica;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The source position a replica's data corresponds to, as {@code pgcapture.sources} holds it:
 * every source transaction whose commit checkpoint is at or before {@link #checkpoint} has been
 * applied, none after it.
 *
 * <p>After a seed at consistent point {@code cp} the checkpoint is {@code (cp - 1, 0xFFFFFFFF)}:
 * a transaction is in the seed's snapshot iff its commit record starts before {@code cp}, so the
 * first transaction the topic must supply is the first whose commit LSN is {@code >= cp}.
 *
 * @param checkpoint the last applied commit's checkpoint; its data is the Pulsar message id of
 *     that commit, empty after a seed
 * @param commitTime when the source committed that transaction; empty after a seed
 * @param appliedAt when the replica committed it
 * @param seededLsn the consistent point of the last full seed, if any
 * @param allTables whether the replica holds every published table (a seed without
 *     {@code --tables}); when not, changes to tables it does not hold are not applied
 */
public record ReplicaPosition(Checkpoint checkpoint, Optional<Instant> commitTime, Instant appliedAt, Optional<Lsn> seededLsn,
        boolean allTables) {

    public ReplicaPosition {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(commitTime, "commitTime");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(seededLsn, "seededLsn");
    }

    /** The checkpoint of a seed at consistent point {@code cp}: just before the first commit at or after it. */
    public static Checkpoint seededCheckpoint(Lsn consistentPoint) {
        if (consistentPoint.isZero()) {
            throw new IllegalArgumentException("a consistent point cannot be 0/0");
        }
        return Checkpoint.of(new Lsn(consistentPoint.value() - 1), -1);
    }

    /**
     * The position of a database that may never have been a replica: empty when it has no
     * {@code pgcapture.sources} at all, or holds no position in it.
     */
    public static Optional<ReplicaPosition> find(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass('pgcapture.sources') IS NOT NULL");
                ResultSet r = s.executeQuery()) {
            r.next();
            if (!r.getBoolean(1)) {
                return Optional.empty();
            }
        }
        return read(c);
    }

    /** The replica's position, or empty when it holds none (never seeded). Needs {@link ReplicaSchema#ensure}. */
    public static Optional<ReplicaPosition> read(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("read_position"));
                ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return Optional.empty();
            }
            byte[] messageId = r.getBytes(3);
            Checkpoint checkpoint = new Checkpoint(Lsn.parse(r.getString(1)), (int) r.getLong(2),
                    messageId == null ? ByteString.EMPTY : ByteString.copyFrom(messageId));
            Timestamp commitTime = r.getTimestamp(4);
            String seeded = r.getString(6);
            return Optional.of(new ReplicaPosition(checkpoint,
                    Optional.ofNullable(commitTime).map(Timestamp::toInstant),
                    r.getTimestamp(5).toInstant(),
                    Optional.ofNullable(seeded).map(Lsn::parse),
                    r.getBoolean(7)));
        }
    }

    /**
     * Records that everything through {@code commit} (a Commit message's checkpoint, its data the
     * Pulsar message id) is applied. Call it in the transaction that applies the data.
     */
    public static void write(Connection c, Checkpoint commit, Instant commitTime) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("write_position"))) {
            s.setString(1, commit.lsn().toString());
            s.setLong(2, Integer.toUnsignedLong(commit.seq()));
            if (commit.data().isEmpty()) {
                s.setNull(3, Types.BINARY);
            } else {
                s.setBytes(3, commit.data().toByteArray());
            }
            s.setTimestamp(4, Timestamp.from(commitTime));
            s.executeUpdate();
        }
    }

    /**
     * Records a seed of the whole replica at consistent point {@code cp}. Call it in the
     * transaction that commits the copy.
     *
     * @param allTables whether every published table was seeded, not a {@code --tables} subset
     */
    public static void writeSeeded(Connection c, Lsn consistentPoint, boolean allTables) throws SQLException {
        Checkpoint checkpoint = seededCheckpoint(consistentPoint);
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("write_seeded"))) {
            s.setString(1, checkpoint.lsn().toString());
            s.setLong(2, Integer.toUnsignedLong(checkpoint.seq()));
            s.setString(3, consistentPoint.toString());
            s.setBoolean(4, allTables);
            s.executeUpdate();
        }
    }
}
