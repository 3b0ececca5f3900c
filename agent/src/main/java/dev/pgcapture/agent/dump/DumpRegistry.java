package dev.pgcapture.agent.dump;

import dev.pgcapture.agent.replica.DumpInterlock;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dumps running on this replica, by the replica table each reads, so that a dump never
 * blocks replication ({@link DumpInterlock}).
 *
 * <p>Every dump registers its table before it locks it and unregisters once its transaction has
 * ended. {@link #beforeExclusive} makes new dumps of the given tables wait, cancels the running
 * ones (they fail with ABORTED, "redo"), and returns once their transactions have ended, so
 * their {@code ACCESS SHARE} locks are gone; a dump that does not end within the grace period
 * has its backend terminated. {@link #released} lets dumps of those tables start again.
 */
public final class DumpRegistry implements DumpInterlock {

    private static final Logger log = LoggerFactory.getLogger(DumpRegistry.class);
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PostgresUrl replica;
    private final Duration cancelGrace;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition releasedCondition = lock.newCondition();
    private final Set<TableName> held = new HashSet<>();
    private final Set<Registration> active = new HashSet<>();
    private int waiting;

    /**
     * @param replica where to terminate the backend of a dump that does not end in time
     * @param cancelGrace how long a cancelled dump has to end its transaction
     */
    public DumpRegistry(PostgresUrl replica, Duration cancelGrace) {
        this.replica = Objects.requireNonNull(replica, "replica");
        this.cancelGrace = Objects.requireNonNull(cancelGrace, "cancelGrace");
    }

    /** One dump of one table; closed once the dump's replica transaction has ended. */
    final class Registration implements AutoCloseable {

        private final TableName table;
        private final DumpCall<?, ?> call;
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile int backendPid;

        private Registration(TableName table, DumpCall<?, ?> call) {
            this.table = table;
            this.call = call;
        }

        /** The replica backend the dump runs on, to terminate if it does not end when cancelled. */
        void backendPid(int pid) {
            backendPid = pid;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                active.remove(this);
            } finally {
                lock.unlock();
            }
            ended.countDown();
        }
    }

    /**
     * Registers a dump of {@code table} (a replica name), waiting up to {@code wait} while the
     * applier holds the table exclusively.
     */
    Registration register(TableName table, DumpCall<?, ?> call, Duration wait) throws DumpStopped, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            waiting++;
            try {
                while (held.contains(table)) {
                    call.checkActive();
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new DumpStopped(DumpStatus.heldByApplier(table, wait));
                    }
                    releasedCondition.awaitNanos(Math.min(left, WAIT_SLICE_NANOS));
                }
            } finally {
                waiting--;
            }
            Registration registration = new Registration(table, call);
            active.add(registration);
            return registration;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void beforeExclusive(Collection<TableName> tables) throws InterruptedException {
        List<Registration> victims = new ArrayList<>();
        lock.lock();
        try {
            held.addAll(tables);
            for (Registration registration : active) {
                if (tables.contains(registration.table)) {
                    victims.add(registration);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Registration victim : victims) {
            log.info("cancelling the dump of {} (backend {}): the applier needs the table exclusively", victim.table, victim.backendPid);
            victim.call.abort(DumpStatus.redo(victim.table));
        }
        for (Registration victim : victims) {
            awaitEnded(victim);
        }
    }

    private void awaitEnded(Registration victim) throws InterruptedException {
        if (victim.ended.await(cancelGrace.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        int pid = victim.backendPid;
        log.warn("the cancelled dump of {} did not end within {}; terminating its backend {}", victim.table, cancelGrace, pid);
        if (pid != 0 && !terminate(pid)) {
            log.error("backend {} of the cancelled dump of {} did not exit within {}; the applier's lock may wait for it",
                    pid, victim.table, cancelGrace);
        }
    }

    /** Terminates a dump's backend, which releases its locks; true once it has exited. */
    private boolean terminate(int pid) {
        try (Connection c = replica.connect();
                PreparedStatement s = c.prepareStatement("SELECT pg_catalog.pg_terminate_backend(?, ?)")) {
            s.setInt(1, pid);
            s.setLong(2, cancelGrace.toMillis());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        } catch (SQLException e) {
            log.error("cannot terminate backend {}: {}", pid, e.getMessage());
            return false;
        }
    }

    @Override
    public void released() {
        lock.lock();
        try {
            held.clear();
            releasedCondition.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The dumps registered now (reading a table or about to lock it). */
    public int activeDumps() {
        lock.lock();
        try {
            return active.size();
        } finally {
            lock.unlock();
        }
    }

    /** The dumps waiting because the applier holds their table exclusively. */
    public int waitingDumps() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }
}
