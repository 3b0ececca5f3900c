package dev.pgcapture.agent.seed;

import dev.pgcapture.agent.replica.ReplicaLock;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.replica.ReplicaSchema;
import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.agent.replica.TableReseeder;
import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pgcapture seed}: brings a replica database to a consistent copy of the source and
 * records the exact source LSN it corresponds to.
 *
 * <p>A temporary logical slot exports a snapshot and its consistent point {@code cp}; a source
 * transaction is in that snapshot iff its commit record starts before {@code cp}. Tables are
 * created from the structure read inside the snapshot and copied inside it; after a first seed the
 * replica's checkpoint is {@code (cp-1, 0xFFFFFFFF)}, so the applier takes every transaction
 * whose commit LSN is {@code >= cp} from the topic. A table truncated or rewritten on the source
 * during the seed (not MVCC-safe) is copied again in a fresh snapshot and takes changes from that
 * snapshot's consistent point.
 *
 * <p>Crash safety: each table commits on the replica in its own transaction together with its
 * {@code pgcapture.tables} entry; the checkpoint is written last. A first seed that stops half-way
 * leaves no checkpoint, and the next {@code seed} drops what it left and starts over. See
 * {@link SeedPlan} for when {@code --force} is needed.
 */
public final class Seeder {

    private static final Logger log = LoggerFactory.getLogger(Seeder.class);

    /** How many snapshots one table may take before seed gives up on it. */
    static final int MAX_ATTEMPTS = 5;

    private final SeedSettings settings;
    private final Consumer<String> report;
    private final SqlWork beforeCopy;

    /**
     * @param report receives the lines a user should see while it runs (progress, retries); they
     *     are logged too
     */
    public Seeder(SeedSettings settings, Consumer<String> report) {
        this(settings, report, () -> { });
    }

    /** With {@code beforeCopy} run once the snapshot is taken and the tables are read, before any table is locked. */
    Seeder(SeedSettings settings, Consumer<String> report, SqlWork beforeCopy) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.report = Objects.requireNonNull(report, "report");
        this.beforeCopy = Objects.requireNonNull(beforeCopy, "beforeCopy");
    }

    /**
     * Seeds the replica, holding its {@link ReplicaLock} throughout.
     *
     * @throws SeedRefusedException when the replica or the source is not in a state to seed, saying why
     * @throws ReplicaLock.ReplicaBusyException when an applier or another seed holds the replica
     */
    public SeedResult run() throws SQLException, InterruptedException {
        try (Connection lockSession = settings.replica().connect()) {
            ReplicaSchema.ensure(lockSession);
            ReplicaLock.acquire(lockSession);
            Optional<ReplicaPosition> position = ReplicaPosition.read(lockSession);
            ReplicaTables registry = ReplicaTables.load(lockSession);
            SeedPlan plan = SeedPlan.decide(position, registry.all(), !settings.tables().isEmpty(), settings.force());
            try (Connection source = settings.source().connect()) {
                SourceCatalog.checkInitialised(source, settings.publication());
            }
            SeedProgress progress = new SeedProgress();
            try (ProgressReporter reporter = ProgressReporter.start(progress, settings.progressInterval(), this::tell)) {
                SeedResult result = seed(lockSession, registry, plan, progress);
                reporter.finalReport();
                return result;
            }
        }
    }

    private SeedResult seed(Connection lockSession, ReplicaTables registry, SeedPlan plan, SeedProgress progress)
            throws SQLException, InterruptedException {
        List<SeedResult.SeededTable> done = new ArrayList<>();
        List<TableStructure> changed;
        Lsn cp;
        try (SnapshotSession snapshot = SnapshotSession.open(settings.source(), settings.jobs(), settings.slotWait())) {
            cp = snapshot.consistentPoint();
            tell("consistent point " + cp + ": the replica gets every source transaction that committed before it; the topic "
                    + "supplies those at or after it");
            Connection main = snapshot.connections().getFirst();
            List<Long> oids = settings.tables().isEmpty()
                    ? SourceCatalog.publishedTables(main, settings.publication())
                    : SourceCatalog.namedTables(main, settings.tables(), settings.publication());
            Map<Long, TableStructure> tables = SourceCatalog.structures(main, oids);
            Map<Long, String> names = new LinkedHashMap<>();
            tables.forEach((oid, t) -> names.put(oid, t.name().quoted()));
            Map<Long, ReplicaTables.Table> registered = new LinkedHashMap<>();
            registry.all().forEach(t -> registered.put(t.structure().oid(), t));
            plan.checkReseed(names, registered, settings.force());
            ReplicaWriter.checkNamesFree(lockSession, tables.values(), registry, plan.dropRegistered(), settings.force());
            progress.tablesTotal(tables.size());

            inTransaction(lockSession, () -> {
                if (plan.dropRegistered()) {
                    ReplicaWriter.dropRegistered(lockSession, registry);
                }
                ReplicaWriter.prepare(main, lockSession, tables.values());
            });
            beforeCopy.run();
            ParallelCopy copy = new ParallelCopy(settings.replica(), snapshot, cp, progress);
            changed = copy.run(List.copyOf(tables.values()), done);
        }
        for (TableStructure table : changed) {
            tell("table " + table.name() + " was truncated, rewritten or renamed on the source since the snapshot: copying it again "
                    + "in a new snapshot");
            done.add(copyAlone(settings.source(), lockSession, registry, table, settings.slotWait(), progress, 2));
            progress.tableDone();
        }
        if (plan.firstSeed()) {
            inTransaction(lockSession, () -> ReplicaPosition.writeSeeded(lockSession, cp, settings.tables().isEmpty()));
        }
        return new SeedResult(cp, plan.firstSeed(), done, progress.snapshot());
    }

    /** The applier's {@link TableReseeder}: tables the source rewrote are copied again from {@code source}. */
    public static TableReseeder reseeder(PostgresUrl source, Duration slotWait) {
        return (replica, tables, table) -> reseed(source, replica, tables, table, slotWait);
    }

    /**
     * Copies one table again, in process, for an applier that found it rewritten on the source:
     * takes a new snapshot (a temporary slot of its own), reads the table's structure in it,
     * replaces the replica's table, copies the rows and records the table in {@code tables} with
     * the new snapshot's consistent point as its {@code applyFrom} and {@code needsSeed} off.
     *
     * <p>It takes no {@link ReplicaLock}: the caller holds it on {@code replica}'s session. When
     * {@code replica} is in autocommit mode, it commits the user types it needs, then the table,
     * each in a transaction of its own; otherwise everything happens in the caller's open
     * transaction, which the caller commits (with its checkpoint, say). Changes to the table whose
     * commit LSN is before the returned {@code applyFrom} are in the copy; apply those at or after it.
     *
     * @param table the table as the replica knows it (its source OID; its name is the replica's table to replace)
     * @return the table as now recorded; {@code applyFrom()} is the new snapshot's consistent point
     * @throws SeedRefusedException when the table no longer exists on the source, or kept changing under five snapshots
     */
    public static ReplicaTables.Table reseed(PostgresUrl source, Connection replica, ReplicaTables tables, TableStructure table,
            Duration slotWait) throws SQLException {
        SeedResult.SeededTable seeded = copyAlone(source, replica, tables, table, slotWait, new SeedProgress(), 1);
        return tables.byOid(seeded.sourceOid()).orElseThrow();
    }

    /** Copies one table in a snapshot of its own, taking new ones while it keeps changing. */
    private static SeedResult.SeededTable copyAlone(PostgresUrl source, Connection replica, ReplicaTables registry, TableStructure known,
            Duration slotWait, SeedProgress progress, int firstAttempt) throws SQLException {
        boolean ownTransactions = replica.getAutoCommit();
        for (int attempt = firstAttempt; attempt <= MAX_ATTEMPTS; attempt++) {
            try (SnapshotSession snapshot = SnapshotSession.open(source, 1, slotWait)) {
                Connection c = snapshot.connections().getFirst();
                TableStructure table = SourceCatalog.structures(c, List.of(known.oid())).get(known.oid());
                if (table == null) {
                    throw new SeedRefusedException("table " + known.name() + " (source OID " + known.oid()
                            + ") no longer exists on the source: it was dropped while it was being seeded");
                }
                if (ownTransactions) {
                    inTransaction(replica, () -> ReplicaWriter.prepare(c, replica, List.of(table)));
                } else {
                    ReplicaWriter.prepare(c, replica, List.of(table));
                }
                if (SourceCatalog.lockAndCheck(c, table) == SourceCatalog.Check.CHANGED) {
                    log.info("table {} changed on the source again since snapshot {}, attempt {}", table.name(), snapshot.consistentPoint(),
                            attempt);
                    continue;
                }
                boolean text = SourceCatalog.needsTextCopy(c, table);
                Lsn applyFrom = snapshot.consistentPoint();
                long[] rows = new long[1];
                SqlWork copy = () -> rows[0] = ReplicaWriter.replaceTable(c, replica, registry, table, applyFrom, text, progress);
                if (ownTransactions) {
                    inTransaction(replica, copy);
                } else {
                    copy.run();
                }
                return new SeedResult.SeededTable(table.oid(), table.name(), applyFrom, rows[0], attempt, text);
            }
        }
        throw new SeedRefusedException("table " + known.name() + " was truncated or rewritten on the source during each of "
                + MAX_ATTEMPTS + " snapshots taken to copy it; run seed --tables " + known.name() + " again once that stops");
    }

    /** A unit of replica work that runs in a transaction. */
    @FunctionalInterface
    interface SqlWork {
        void run() throws SQLException;
    }

    /** Runs {@code work} in a transaction of {@code c} (in autocommit mode) and commits it, or rolls it back and rethrows. */
    static void inTransaction(Connection c, SqlWork work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void tell(String line) {
        log.info(line);
        report.accept(line);
    }
}
