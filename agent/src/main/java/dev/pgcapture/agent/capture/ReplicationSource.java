package dev.pgcapture.agent.capture;

import dev.pgcapture.agent.pgoutput.PgOutputDecoder;
import dev.pgcapture.agent.setup.DdlLogs;
import dev.pgcapture.agent.pgoutput.PgOutputMessage;
import dev.pgcapture.agent.FatalAgentException;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.Source;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Source} reading a PostgreSQL logical replication slot with the built-in
 * {@code pgoutput} plugin: binary values, the highest protocol version the server speaks,
 * streaming of large transactions off, so every transaction arrives whole and in commit order.
 *
 * <p>Replication always starts from the slot's own position. The slot is confirmed only up to
 * transactions whose Commit the reader has {@linkplain #commit committed}, and only forward:
 * pgjdbc's automatic flush is off, because it would confirm the server's WAL end on a keepalive,
 * past changes that are not durable yet. When nothing is in flight, keepalives move the slot
 * along, so an idle database does not retain WAL forever.
 *
 * <p>Messages at or before the checkpoint given to {@link #capture} are dropped, and so are
 * the agent's own clean-up of {@code pgcapture.ddl_logs}: only its INSERTs, the DDL events, go
 * out.
 */
public final class ReplicationSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSource.class);
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long FORCED_STATUS_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PostgresUrl url;
    private final CaptureSettings settings;
    private final RelationCache relations = new RelationCache();
    private final PgOutputMapper mapper = new PgOutputMapper(relations);

    private Connection connection;
    private PGReplicationStream stream;
    private FlushTracker flush;
    private Checkpoint after = Checkpoint.ZERO;
    private long lastForcedStatus;
    /** A confirmed position was passed to pgjdbc but not yet reported to the server. */
    private boolean statusPending;

    /** A source for the database at {@code url}; nothing is opened before {@link #capture}. */
    public ReplicationSource(PostgresUrl url, CaptureSettings settings) {
        this.url = Objects.requireNonNull(url, "url");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Opens the replication connection and starts streaming from the slot's position.
     *
     * @throws FatalAgentException when the server is older than PostgreSQL 14, or the slot is
     *     missing or invalidated (a re-seed is needed)
     */
    @Override
    public void capture(Checkpoint resumeAfter) throws SQLException, FatalAgentException {
        if (stream != null) {
            throw new IllegalStateException("capture was already called");
        }
        this.after = Objects.requireNonNull(resumeAfter, "resumeAfter");
        connection = url.connectReplication();
        int version = serverVersionNum(connection);
        if (version < 140000) {
            throw new FatalAgentException("PostgreSQL " + version / 10000 + " is too old: pgcapture needs PostgreSQL 14 or later"
                    + " (binary pgoutput)");
        }
        ReplicationSlots.Slot slot = ReplicationSlots.inspect(connection, settings.slot(), version);
        if (slot.active()) {
            throw new SQLException("replication slot \"" + settings.slot() + "\" is in use by server process " + slot.activePid()
                    + ": another pg2pulsar may be running, or the server has not yet noticed that an earlier one is gone");
        }
        flush = new FlushTracker(slot.confirmedFlush());
        int protoVersion = protoVersion(version);
        stream = connection.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                .withSlotName(settings.slot())
                .withSlotOption("proto_version", protoVersion)
                .withSlotOption("publication_names", TableName.quoteIdentifier(settings.publication()))
                .withSlotOption("binary", settings.binary())
                .withSlotOption("streaming", false)
                .withStatusInterval((int) settings.statusInterval().toMillis(), TimeUnit.MILLISECONDS)
                .withAutomaticFlush(false)
                .start();
        log.info("streaming slot {} (publication {}, pgoutput proto_version {}, {} values) of {} from {}, resuming after {}",
                settings.slot(), settings.publication(), protoVersion, settings.binary() ? "binary" : "text", url,
                slot.confirmedFlush(), resumeAfter);
    }

    @Override
    public SourceMessage next(Duration timeout) throws SQLException, FatalAgentException {
        if (stream == null) {
            throw new IllegalStateException("capture was not called");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long park = MIN_PARK_NANOS;
        while (true) {
            confirm();
            ByteBuffer buffer = read();
            if (buffer == null) {
                flush.idle(new Lsn(stream.getLastReceiveLSN().asLong()));
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                LockSupport.parkNanos(Math.min(park, left));
                park = Math.min(park * 2, MAX_PARK_NANOS);
                continue;
            }
            park = MIN_PARK_NANOS;
            SourceMessage message = handle(buffer);
            if (message != null) {
                return message;
            }
        }
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        flush.acknowledged(checkpoint);
    }

    /** The slot position confirmed to the server so far, for logs and tests. */
    public Lsn confirmed() {
        return flush == null ? Lsn.ZERO : flush.confirmed();
    }

    /** Confirms what is durable, stops streaming and closes the connection. */
    @Override
    public void close() {
        try {
            if (stream != null && !stream.isClosed()) {
                flush.toConfirm(); // releases what the sink acknowledged
                // Always send: the last position handed to pgjdbc may not have gone out yet,
                // since forced status updates are rate-limited while streaming.
                setFlushed(flush.confirmed());
                stream.forceUpdateStatus();
                stream.close();
            }
        } catch (SQLException e) {
            log.warn("could not stop streaming slot {} cleanly: {}", settings.slot(), e.getMessage());
        } finally {
            closeConnection();
        }
    }

    /** Decodes and maps one replication message; null when nothing goes out for it. */
    private SourceMessage handle(ByteBuffer buffer) throws FatalAgentException {
        PgOutputMessage decoded;
        Optional<SourceMessage> mapped;
        try {
            decoded = PgOutputDecoder.decode(buffer);
            mapped = mapper.map(decoded);
        } catch (IllegalStateException | IllegalArgumentException e) { // PgOutputFormatException included
            throw new FatalAgentException("cannot decode the pgoutput stream of slot \"" + settings.slot() + "\" near "
                    + stream.getLastReceiveLSN().asString() + ": " + e.getMessage(), e);
        }
        if (mapped.isEmpty()) {
            return null;
        }
        SourceMessage message = mapped.get();
        boolean wanted = message.checkpoint().isAfter(after) && !isDdlLogCleanup(message);
        switch (decoded) {
            case PgOutputMessage.Begin ignored -> flush.open();
            case PgOutputMessage.Commit commit -> {
                if (wanted) {
                    flush.emitted(message.checkpoint(), commit.endLsn());
                } else {
                    flush.skipped(commit.endLsn());
                }
            }
            default -> {
            }
        }
        return wanted ? message : null;
    }

    private static boolean isDdlLogCleanup(SourceMessage message) {
        if (!message.message().hasChange()) {
            return false;
        }
        Change change = message.message().getChange();
        return change.getOp() != Change.Operation.INSERT
                && DdlLogs.TABLE_NAME.schema().equals(change.getSchema()) && DdlLogs.TABLE_NAME.table().equals(change.getTable());
    }

    private ByteBuffer read() throws SQLException, FatalAgentException {
        try {
            return stream.readPending();
        } catch (SQLException e) {
            if (ReplicationErrors.translate(e, url, settings) instanceof FatalAgentException fatal) {
                throw fatal;
            }
            throw e;
        }
    }

    /**
     * Passes a new confirmed position to pgjdbc and reports it to the server, at most once a
     * second; a position held back by that limit goes out as soon as the second has passed.
     */
    private void confirm() throws SQLException {
        Optional<Lsn> position = flush.toConfirm();
        if (position.isPresent()) {
            setFlushed(position.get());
            statusPending = true;
        }
        long now = System.nanoTime();
        if (statusPending && now - lastForcedStatus >= FORCED_STATUS_NANOS) {
            lastForcedStatus = now;
            statusPending = false;
            stream.forceUpdateStatus();
        }
    }

    private void setFlushed(Lsn lsn) {
        LogSequenceNumber position = LogSequenceNumber.valueOf(lsn.value());
        stream.setFlushedLSN(position);
        stream.setAppliedLSN(position);
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the replication connection failed", e);
            }
        }
    }

    /** The highest pgoutput protocol version a server of this {@code server_version_num} speaks. */
    public static int protoVersion(int serverVersionNum) {
        if (serverVersionNum >= 160000) {
            return 4;
        }
        return serverVersionNum >= 150000 ? 3 : 2;
    }

    private static int serverVersionNum(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW server_version_num")) {
            row.next();
            return Integer.parseInt(row.getString(1));
        }
    }
}
