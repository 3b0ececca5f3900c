package dev.pgcapture.agent.dump;

import dev.pgcapture.agent.SqlScript;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.replica.TypeOids;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dump's replica connection: reads the applied position while waiting, then one REPEATABLE
 * READ, READ ONLY transaction that locks the table {@code ACCESS SHARE} before its snapshot is
 * taken (TRUNCATE is not MVCC-safe) and reads every chunk the dump asks for. Closing it rolls
 * the transaction back, closes the connection and then unregisters the dump.
 */
final class DumpSession implements AutoCloseable {

    /** The table as the dump's snapshot sees it. */
    record Table(TableName name, long oid, long pages, OptionalLong rowEstimate, List<Column> columns, RowEncoder encoder) {
    }

    /**
     * The state a dump reads.
     *
     * @param applied the source LSN the replica had applied in this snapshot
     * @param table the table, or empty when it does not exist
     */
    record Snapshot(Lsn applied, Optional<Table> table) {
    }

    static final SqlScript SQL = SqlScript.load(DumpSession.class, "dump.sql");

    private static final Logger log = LoggerFactory.getLogger(DumpSession.class);
    private static final String UNDEFINED_TABLE = "42P01";

    private final Connection connection;
    private final PGConnection pg;
    private final DumpCall<?, ?> call;
    private final AtomicLong rowsRead;
    private DumpRegistry.Registration registration;

    private DumpSession(Connection connection, DumpCall<?, ?> call, AtomicLong rowsRead) throws SQLException {
        this.connection = connection;
        this.pg = connection.unwrap(PGConnection.class);
        this.call = call;
        this.rowsRead = rowsRead;
    }

    /** Connects to the replica; a cancel of {@code call} from now on cancels the statement running. */
    static DumpSession open(PostgresUrl replica, DumpCall<?, ?> call, AtomicLong rowsRead) throws SQLException {
        Connection connection = replica.connect();
        DumpSession session;
        try {
            session = new DumpSession(connection, call, rowsRead);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        call.interruptWith(session::cancelStatement);
        return session;
    }

    /** Unregisters the dump once this session's transaction has ended (in {@link #close}). */
    void attach(DumpRegistry.Registration registration) {
        this.registration = registration;
        registration.backendPid(pg.getBackendPID());
    }

    /** The replica's applied LSN, outside any transaction (while waiting for it to advance). */
    Lsn appliedLsn() throws SQLException, DumpStopped {
        return readApplied();
    }

    /** The OID of table {@code name} (exact catalog names), if it exists as an ordinary table. */
    Optional<Long> resolve(TableName name) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(SQL.section("resolve_table"))) {
            s.setString(1, name.schema());
            s.setString(2, name.table());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * Opens the dump's transaction: locks {@code name} (when it exists), then takes the snapshot
     * by reading the applied position, the table's size and its columns.
     */
    Snapshot begin(TableName name) throws SQLException, DumpStopped {
        boolean exists = resolve(name).isPresent();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            if (exists) {
                // Before the snapshot: LOCK takes none, so no TRUNCATE can commit between the snapshot and the reads.
                s.execute("LOCK TABLE ONLY " + name.quoted() + " IN ACCESS SHARE MODE");
            }
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(); // dropped since it was resolved: read it as missing
            exists = false;
            try (Statement s = connection.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
        }
        call.checkActive();
        Lsn applied = readApplied();
        Optional<Long> oid = exists ? resolve(name) : Optional.empty();
        if (oid.isEmpty()) {
            return new Snapshot(applied, Optional.empty());
        }
        return new Snapshot(applied, Optional.of(describe(name, oid.get())));
    }

    private Table describe(TableName name, long oid) throws SQLException, DumpStopped {
        long pages;
        OptionalLong rowEstimate;
        try (PreparedStatement s = connection.prepareStatement(SQL.section("describe_table"))) {
            s.setLong(1, oid);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                pages = r.getLong(1);
                long reltuples = r.getLong(2);
                rowEstimate = reltuples < 0 ? OptionalLong.empty() : OptionalLong.of(reltuples);
            }
        }
        List<String> names = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(SQL.section("columns"))) {
            s.setLong(1, oid);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                    types.add((int) r.getLong(2));
                }
            }
        }
        TypeOids typeOids = TypeOids.load(connection, types);
        List<Column> columns = new ArrayList<>();
        try {
            for (int i = 0; i < names.size(); i++) {
                int type = types.get(i);
                columns.add(new Column(names.get(i), type, typeOids.toSource(type), typeOids.binarySendable(type)));
            }
        } catch (TypeOids.UnmappedTypeException e) {
            throw new DumpStopped(io.grpc.Status.FAILED_PRECONDITION.withDescription(
                    "cannot dump table " + name.quoted() + ": " + e.getMessage()));
        }
        return new Table(name, oid, pages, rowEstimate, columns, new RowEncoder(name, columns, typeOids.toSourceRewriter()));
    }

    /** Streams the rows of {@code chunk} to {@code sink}, in this session's snapshot; returns how many. */
    long copy(Table table, Chunk chunk, RowSink sink) throws SQLException, IOException, DumpStopped, InterruptedException {
        String sql = ChunkSql.copy(table.name(), table.columns(), chunk);
        long rows = 0;
        try (PGCopyInputStream in = new PGCopyInputStream(pg, sql)) {
            CopyBinaryReader reader = new CopyBinaryReader(in, table.columns().size());
            byte[][] row;
            while ((row = reader.next()) != null) {
                rowsRead.incrementAndGet();
                sink.accept(table.encoder().encode(row));
                rows++;
            }
        } catch (IOException | SQLException e) {
            call.checkActive(); // a cancel made the statement fail: report the cancel, not the error
            throw e;
        }
        return rows;
    }

    private Lsn readApplied() throws SQLException, DumpStopped {
        Optional<ReplicaPosition> position;
        try {
            position = ReplicaPosition.read(connection);
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw new DumpStopped(DumpStatus.notSeeded());
            }
            throw e;
        }
        return position.orElseThrow(() -> new DumpStopped(DumpStatus.notSeeded())).checkpoint().lsn();
    }

    private void cancelStatement() {
        try {
            pg.cancelQuery();
        } catch (SQLException e) {
            log.debug("cancelling the dump's statement failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        call.interruptWith(() -> { });
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            log.debug("rolling back a dump failed (its connection closes anyway): {}", e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing a dump's connection failed: {}", e.getMessage());
        }
        if (registration != null) {
            registration.close();
        }
    }
}
