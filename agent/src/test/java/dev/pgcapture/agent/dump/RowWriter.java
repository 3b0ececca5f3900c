package dev.pgcapture.agent.dump;

import com.google.protobuf.ByteString;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * Plays the applier on a table {@code (id int, v bigint, pad text)}: transaction {@code n} sets
 * {@code v = n} on random rows and widens their {@code pad} (so the new versions leave their
 * page), and records checkpoint {@code lsn(n)} in {@code pgcapture.sources} in the same
 * transaction. Remembers what each transaction changed.
 */
final class RowWriter implements AutoCloseable {

    private final TestDatabase db;
    private final TableName table;
    private final int rows;
    private final LongFunction<Lsn> lsn;
    private final Map<Long, int[]> updates = new ConcurrentHashMap<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    RowWriter(TestDatabase db, TableName table, int rows, LongFunction<Lsn> lsn) {
        this.db = db;
        this.table = table;
        this.rows = rows;
        this.lsn = lsn;
        this.thread = new Thread(this::run, "row-writer");
        thread.start();
    }

    private void run() {
        Random random = new Random(42);
        String update = "UPDATE " + table.quoted() + " SET v = ?, pad = repeat('y', ?) WHERE id = ANY (?)";
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(update)) {
            c.setAutoCommit(false);
            for (long n = 1; !stopped; n++) {
                int[] ids = random.ints(50, 1, rows + 1).distinct().toArray();
                s.setLong(1, n);
                s.setInt(2, 40 + (int) (n % 40));
                s.setArray(3, c.createArrayOf("int4", java.util.Arrays.stream(ids).boxed().toArray()));
                s.executeUpdate();
                ReplicaPosition.write(c, new Checkpoint(lsn.apply(n), 0, ByteString.EMPTY), Instant.now());
                c.commit();
                updates.put(n, ids);
                committed.set(n);
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** The last transaction committed. */
    long committed() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the writer failed", t);
        }
        return committed.get();
    }

    /** Each row's {@code v} after transactions 1..k (rows no transaction touched are absent: v = 0). */
    Map<Integer, Long> valuesAsOf(long k) {
        Map<Integer, Long> values = new HashMap<>();
        for (long n = 1; n <= k; n++) {
            for (int id : updates.get(n)) {
                values.put(id, n);
            }
        }
        return values;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join();
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the writer failed", t);
        }
    }
}
