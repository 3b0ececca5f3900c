package dev.pgcapture.agent.seed;

import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies tables inside one snapshot with as many jobs as the snapshot session has connections:
 * each job pairs one source connection (in the snapshot) with a replica connection of its own and
 * takes tables from a shared queue, largest first; each table commits on the replica in its own
 * transaction. A table that changed since the snapshot is not copied but handed back.
 */
final class ParallelCopy {

    private final PostgresUrl replica;
    private final SnapshotSession snapshot;
    private final Lsn consistentPoint;
    private final SeedProgress progress;

    ParallelCopy(PostgresUrl replica, SnapshotSession snapshot, Lsn consistentPoint, SeedProgress progress) {
        this.replica = replica;
        this.snapshot = snapshot;
        this.consistentPoint = consistentPoint;
        this.progress = progress;
    }

    /**
     * Copies the tables; adds each copied one to {@code done}.
     *
     * @return the tables that changed on the source since the snapshot, to copy again in a new one
     */
    List<TableStructure> run(List<TableStructure> tables, List<SeedResult.SeededTable> done) throws SQLException, InterruptedException {
        ConcurrentLinkedQueue<TableStructure> queue = new ConcurrentLinkedQueue<>(tables);
        List<TableStructure> changed = Collections.synchronizedList(new ArrayList<>());
        List<SeedResult.SeededTable> copied = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean failed = new AtomicBoolean();
        int jobs = Math.max(1, Math.min(snapshot.connections().size(), tables.size()));
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> Thread.ofPlatform().name("seed-copy").unstarted(r));
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < jobs; i++) {
                Connection source = snapshot.connections().get(i);
                futures.add(pool.submit(() -> {
                    job(source, queue, changed, copied, failed);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failed.set(true);
                    throw unwrap(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        done.addAll(copied);
        return List.copyOf(changed);
    }

    private void job(Connection source, ConcurrentLinkedQueue<TableStructure> queue, List<TableStructure> changed,
            List<SeedResult.SeededTable> copied, AtomicBoolean failed) throws SQLException {
        try (Connection target = replica.connect()) {
            ReplicaTables registry = ReplicaTables.load(target);
            TableStructure table;
            while (!failed.get() && (table = queue.poll()) != null) {
                try {
                    if (SourceCatalog.lockAndCheck(source, table) == SourceCatalog.Check.CHANGED) {
                        changed.add(table);
                        continue;
                    }
                    boolean text = SourceCatalog.needsTextCopy(source, table);
                    TableStructure t = table;
                    long[] rows = new long[1];
                    Seeder.inTransaction(target, () -> rows[0] = ReplicaWriter.replaceTable(source, target, registry, t, consistentPoint,
                            text, progress));
                    copied.add(new SeedResult.SeededTable(t.oid(), t.name(), consistentPoint, rows[0], 1, text));
                    progress.tableDone();
                } catch (SQLException e) {
                    failed.set(true);
                    SQLException named = new SQLException("copying table " + table.name() + " failed: " + e.getMessage()
                            + " (if it was altered on the source during the seed, run seed again)", e.getSQLState(), e);
                    throw named;
                }
            }
        }
    }

    private static SQLException unwrap(Throwable cause) {
        if (cause instanceof SQLException e) {
            return e;
        }
        if (cause instanceof RuntimeException e) {
            throw e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new SQLException(cause);
    }
}
