package dev.pgcapture.gateway;

import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Updates random rows of {@code items (id, version, pad)} on the source until closed (or for a
 * number of transactions), each update incrementing the row's version and changing the width of
 * its padding, so that rows leave their pages on the replica.
 */
final class SourceUpdater implements AutoCloseable {

    private final AtomicLong committed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    SourceUpdater(TestDatabase db, int rows, int rowsPerTransaction) {
        this(db, rows, rowsPerTransaction, Long.MAX_VALUE);
    }

    /** Commits {@code transactions} transactions, then stops. */
    SourceUpdater(TestDatabase db, int rows, int rowsPerTransaction, long transactions) {
        thread = Thread.ofPlatform().name("source-updater").start(() -> run(db, rows, rowsPerTransaction, transactions));
    }

    private void run(TestDatabase db, int rows, int rowsPerTransaction, long transactions) {
        Random random = new Random(42);
        String update = "UPDATE items SET version = version + 1, pad = repeat('y', ?) WHERE id = ANY (?)";
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(update)) {
            for (long n = 1; !stopped && n <= transactions; n++) {
                Integer[] ids = random.ints(rowsPerTransaction, 1, rows + 1).boxed().toArray(Integer[]::new);
                s.setInt(1, 40 + (int) (n % 40));
                s.setArray(2, c.createArrayOf("int4", ids));
                s.executeUpdate();
                committed.set(n);
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** Whether it has committed all its transactions (or failed). */
    boolean done() {
        return !thread.isAlive();
    }

    /** Transactions committed so far. */
    long committed() {
        if (failure.get() != null) {
            throw new AssertionError("the source updater failed", failure.get());
        }
        return committed.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join();
        committed();
    }

    /** The table as it is now: id to version. */
    static Map<Integer, Long> versions(TestDatabase db) throws Exception {
        Map<Integer, Long> rows = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id, version FROM items")) {
            while (r.next()) {
                rows.put(r.getInt(1), r.getLong(2));
            }
        }
        return rows;
    }

    /** Each row's page on {@code db}. */
    static Map<Integer, Long> pages(TestDatabase db) throws Exception {
        Map<Integer, Long> pages = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id, (ctid::text::point)[0]::bigint FROM items")) {
            while (r.next()) {
                pages.put(r.getInt(1), r.getLong(2));
            }
        }
        return pages;
    }
}
