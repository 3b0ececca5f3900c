package dev.pgcapture.agent.replica;

import dev.pgcapture.agent.FatalAgentException;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.Sink;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Commit;
import dev.pgcapture.proto.Message;
import java.sql.Connection;
import java.sql.SQLException;
import dev.pgcapture.core.PostgresTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logical replica as a {@link Sink}: applies whole source transactions in commit order, many
 * per replica transaction ({@link ApplySettings}), and writes the checkpoint of the last one into
 * {@code pgcapture.sources} in the same replica transaction, so the replica always holds exactly
 * the source transactions up to its checkpoint. The checkpoint is reported as committed after the
 * replica's COMMIT.
 *
 * <p>A source transaction is buffered until its Commit (up to {@value #SPILL} changes; a larger
 * one is applied as it arrives), so a batch can be committed between any two transactions: when
 * it holds {@code batchSize} of them, or on any message (KeepAlive included, which
 * {@link dev.pgcapture.agent.pulsar.TopicSource} sends while the topic is quiet) once it has been
 * open {@code batchDelay}, and on {@link #close} after a clean stop. Row changes are gathered
 * into runs ({@link RunGrouper}) and written when the batch commits, before DDL and TRUNCATE, and
 * as soon as the topic goes quiet.
 *
 * <p>A change that cannot be applied rolls the replica transaction back and fails the sink with a
 * {@link FatalAgentException} carrying the {@link ApplyException}'s message (commit LSN, table,
 * reason): retrying would fail the same way. A lost connection fails it with the
 * {@link SQLException}, which the runner retries. Used by one thread.
 */
public final class ReplicaSink implements Sink {

    private static final Logger log = LoggerFactory.getLogger(ReplicaSink.class);
    /** Changes of one source transaction held in memory before it is applied without waiting for its Commit. */
    static final int SPILL = 10_000;

    private final PostgresUrl replica;
    private final ApplySettings settings;
    private final DumpInterlock interlock;
    private final TableReseeder reseeder;
    private final LongSupplier nanoTime;
    private final ReplicaMetrics metrics;
    private final Set<Long> reseedReported = new HashSet<>();

    private Connection c;
    private ReplicaTables tables;
    private RunWriter writer;
    private RunGrouper runs;
    private TransactionApplier transaction;
    private Consumer<Checkpoint> committed;

    /** The open source transaction's commit LSN, null between transactions. */
    private Lsn open;
    private final List<Change> buffered = new ArrayList<>();
    /** Whether the open source transaction is already (partly) applied in the replica transaction. */
    private boolean spilled;

    private int batchTransactions;
    /** Changes of the open source transaction, and of the whole ones in the batch. */
    private long openRows;
    private long batchRows;
    private long batchOpenedAt;
    private Checkpoint lastCommit;
    private Instant lastCommitTime;
    private Lsn lastEndLsn;
    private boolean failed;

    /**
     * @param interlock told before TRUNCATE and DDL lock tables; {@link DumpInterlock#NONE} without a dump service
     * @param reseeder seeds a table rewritten on the source again; null to log what to run instead
     */
    public ReplicaSink(PostgresUrl replica, ApplySettings settings, DumpInterlock interlock, TableReseeder reseeder) {
        this(replica, settings, interlock, reseeder, ReplicaMetrics.none());
    }

    /** A sink that counts what it applies in {@code metrics}. */
    public ReplicaSink(PostgresUrl replica, ApplySettings settings, DumpInterlock interlock, TableReseeder reseeder,
            ReplicaMetrics metrics) {
        this(replica, settings, interlock, reseeder, System::nanoTime, metrics);
    }

    ReplicaSink(PostgresUrl replica, ApplySettings settings, DumpInterlock interlock, TableReseeder reseeder, LongSupplier nanoTime) {
        this(replica, settings, interlock, reseeder, nanoTime, ReplicaMetrics.none());
    }

    ReplicaSink(PostgresUrl replica, ApplySettings settings, DumpInterlock interlock, TableReseeder reseeder, LongSupplier nanoTime,
            ReplicaMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.replica = Objects.requireNonNull(replica, "replica");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.interlock = Objects.requireNonNull(interlock, "interlock");
        this.reseeder = reseeder;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public Optional<Checkpoint> setup(Consumer<Checkpoint> committed) throws Exception {
        this.committed = Objects.requireNonNull(committed, "committed");
        c = ReplicaSession.open(replica);
        Optional<ReplicaPosition> position = ReplicaPosition.read(c);
        if (position.isEmpty()) {
            throw new FatalAgentException("the replica " + replica + " has not been seeded; run pgcapture seed");
        }
        tables = ReplicaTables.load(c);
        c.commit();
        writer = new RunWriter(c);
        runs = new RunGrouper(writer, new UniqueConstraints(c));
        transaction = new TransactionApplier(c, tables, position.get().allTables(), new DdlApplier(tables, interlock), interlock, runs);
        reseed();
        log.info("replica {} holds {} tables and every source transaction up to {}", replica, tables.all().size(), position.get().checkpoint());
        return Optional.of(position.get().checkpoint());
    }

    @Override
    public void apply(SourceMessage message) throws Exception {
        if (failed) {
            throw new IllegalStateException("the replica sink has failed; set up a new one");
        }
        try {
            Message m = message.message();
            switch (m.getTypeCase()) {
                case BEGIN -> begin(message.checkpoint().lsn());
                case CHANGE -> change(m.getChange());
                case COMMIT -> commit(message.checkpoint(), m.getCommit());
                case KEEP_ALIVE -> runs.flush(); // the topic is quiet: write the runs gathered, commit on time below
                case TYPE_NOT_SET -> { }
            }
            if (batchTransactions > 0 && !spilled && nanoTime.getAsLong() - batchOpenedAt >= settings.batchDelay().toNanos()) {
                commitBatch();
            }
        } catch (ApplyException e) {
            fail();
            throw new FatalAgentException(e.getMessage(), e);
        } catch (Exception e) {
            fail();
            throw e;
        }
    }

    private void begin(Lsn lsn) throws FatalAgentException {
        if (open != null) {
            throw new FatalAgentException("the topic holds a Begin of the source transaction committed at " + lsn
                    + " while the one committed at " + open + " has not ended; the topic is not a pgcapture change stream");
        }
        open = lsn;
        spilled = false;
        buffered.clear();
        openRows = 0;
    }

    private void change(Change change) throws Exception {
        if (open == null) {
            throw new FatalAgentException("the topic holds a change of " + change.getSchema() + "." + change.getTable()
                    + " outside a transaction; the topic is not a pgcapture change stream");
        }
        buffered.add(change);
        openRows++;
        if (buffered.size() >= SPILL) {
            feed();
        }
    }

    private void commit(Checkpoint checkpoint, Commit commit) throws Exception {
        if (open == null || !open.equals(checkpoint.lsn())) {
            throw new FatalAgentException("the topic holds a Commit at " + checkpoint.lsn() + " without its Begin"
                    + (open == null ? "" : " (the open transaction commits at " + open + ")"));
        }
        feed();
        transaction.end();
        open = null;
        spilled = false;
        if (batchTransactions++ == 0) {
            batchOpenedAt = nanoTime.getAsLong();
        }
        batchRows += openRows;
        openRows = 0;
        lastCommit = checkpoint;
        lastCommitTime = PostgresTime.toInstant(commit.getCommitTime());
        lastEndLsn = new Lsn(commit.getEndLsn());
        if (batchTransactions >= settings.batchSize()) {
            commitBatch();
        }
    }

    /** Applies the buffered changes of the open source transaction. */
    private void feed() throws Exception {
        if (!spilled) {
            transaction.begin(open);
            spilled = true;
        }
        for (Change change : buffered) {
            transaction.accept(change);
        }
        buffered.clear();
    }

    private void commitBatch() throws SQLException, ApplyException {
        runs.flush();
        ReplicaPosition.write(c, lastCommit, lastCommitTime);
        ReplicaSession.originCommit(c, lastEndLsn, lastCommitTime);
        c.commit();
        transaction.released();
        log.debug("committed {} source transactions up to {}", batchTransactions, lastCommit);
        metrics.committed(batchRows, batchTransactions, lastCommit.lsn(), lastCommitTime);
        batchTransactions = 0;
        batchRows = 0;
        committed.accept(lastCommit);
        reseed();
    }

    /** Hands tables the source rewrote to the reseeder, or says what to run. */
    private void reseed() throws SQLException {
        List<ReplicaTables.Table> waiting = tables.all().stream()
                .filter(table -> table.needsSeed() && !reseedReported.contains(table.structure().oid()))
                .toList();
        for (ReplicaTables.Table table : waiting) {
            TableStructure structure = table.structure();
            if (reseeder == null) {
                reseedReported.add(structure.oid());
                log.error("table {} was rewritten on the source and its changes are skipped until it is seeded again: "
                        + "run pgcapture seed --tables {}", structure.name(), structure.name());
                continue;
            }
            ReplicaTables.Table seeded;
            try {
                interlock.beforeExclusive(List.of(structure.name()));
                seeded = reseeder.reseed(c, tables, structure);
                c.commit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.rollback();
                return;
            } catch (Exception e) {
                c.rollback();
                tables.reload(c);
                reseedReported.add(structure.oid());
                log.error("seeding table {} again failed; its changes are skipped until it is seeded: run pgcapture seed --tables {}",
                        structure.name(), structure.name(), e);
                continue;
            } finally {
                interlock.released();
            }
            log.info("table {} seeded again; it takes changes committed at or after {}", seeded.structure().name(), seeded.applyFrom());
        }
    }

    private void fail() {
        failed = true;
        rollbackQuietly();
    }

    private void rollbackQuietly() {
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed: {}", e.getMessage());
        }
        if (transaction != null) {
            runs.discard();
            writer.rolledBack();
            transaction.released();
        }
    }

    /** Commits the batch when it holds only whole source transactions and nothing failed; rolls back otherwise. */
    @Override
    public void close() {
        if (c == null) {
            return;
        }
        try {
            if (!failed && !spilled && batchTransactions > 0) {
                commitBatch();
                log.info("committed the last batch, up to {}", lastCommit);
            } else {
                rollbackQuietly();
            }
        } catch (SQLException | ApplyException e) {
            log.error("could not commit the last batch, up to {}; it is applied again at the next start: {}", lastCommit, e.getMessage());
            rollbackQuietly();
        } finally {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing the replica connection failed: {}", e.getMessage());
            }
            c = null;
        }
    }
}
