package dev.pgcapture.cli;

import static org.awaitility.Awaitility.await;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.testkit.TestDatabase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Callable;

/**
 * Writes {@code rows} new rows into {@code items(id bigint primary key, n int, payload text)} in
 * transactions of 1 to 200 inserts, some with an UPDATE or DELETE of an earlier row, one thread,
 * so commit order is the order written. Records every transaction as its xid and the changes the
 * topic must show for it, in the form {@link #describe} gives them. Never runs more than
 * {@code window} inserted rows ahead of what the slot has confirmed, so the stream is still being
 * written while agents are killed and restarted.
 */
final class RowWorkload {

    static final String TABLE_DDL = "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL, payload text NOT NULL)";
    private static final HexFormat HEX = HexFormat.of();
    private static final String[] WORDS = {"row", "zeile", "ligne", "ряд", "行", "é€ü", "\t", " ", "🙂"};

    /** A committed transaction: its 32-bit xid and its changes, described. */
    record Written(long xid, List<String> changes) {
    }

    private final TestDatabase db;
    private final int rows;
    private final int window;
    private final Callable<Lsn> confirmedFlush;
    private final Random random;
    private final List<Written> written = new ArrayList<>();
    /** WAL insert position after each commit → rows inserted up to and including that commit. */
    private final ConcurrentSkipListMap<Long, Integer> insertedAt = new ConcurrentSkipListMap<>();
    private volatile int inserted;

    RowWorkload(TestDatabase db, int rows, int window, long seed, Callable<Lsn> confirmedFlush) {
        this.db = db;
        this.rows = rows;
        this.window = window;
        this.random = new Random(seed);
        this.confirmedFlush = confirmedFlush;
    }

    /** Rows inserted so far. */
    int inserted() {
        return inserted;
    }

    /** Inserted rows whose transaction committed at or before {@code lsn} (a slight undercount). */
    int insertedUpTo(Lsn lsn) {
        Map.Entry<Long, Integer> floor = insertedAt.floorEntry(lsn.value());
        return floor == null ? 0 : floor.getValue();
    }

    /** The transactions written, in commit order; read after {@link #run} returned. */
    List<Written> written() {
        return written;
    }

    /** Writes everything; returns {@code pg_current_wal_insert_lsn()} after the last commit. */
    Lsn run() throws SQLException {
        List<Long> live = new ArrayList<>();
        long nextId = 1;
        try (Connection c = db.connect(); Connection probe = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO items (id, n, payload) VALUES (?, ?, ?)");
                 PreparedStatement update = c.prepareStatement("UPDATE items SET n = ?, payload = ? WHERE id = ?");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM items WHERE id = ?")) {
                while (inserted < rows) {
                    awaitWindow();
                    int size = Math.min(1 + random.nextInt(200), rows - inserted);
                    List<String> changes = new ArrayList<>();
                    long xid = currentXid(c);
                    for (int i = 0; i < size; i++) {
                        long id = nextId++;
                        int n = random.nextInt();
                        String payload = payload();
                        insert.setLong(1, id);
                        insert.setInt(2, n);
                        insert.setString(3, payload);
                        insert.addBatch();
                        changes.add(describe("INSERT", id, n, payload));
                    }
                    insert.executeBatch();
                    if (!live.isEmpty() && random.nextInt(10) == 0) {
                        long id = live.get(random.nextInt(live.size()));
                        int n = random.nextInt();
                        String payload = payload();
                        update.setInt(1, n);
                        update.setString(2, payload);
                        update.setLong(3, id);
                        update.executeUpdate();
                        changes.add(describe("UPDATE", id, n, payload));
                    }
                    if (!live.isEmpty() && random.nextInt(20) == 0) {
                        int index = random.nextInt(live.size());
                        long id = live.get(index);
                        live.set(index, live.getLast());
                        live.removeLast();
                        delete.setLong(1, id);
                        delete.executeUpdate();
                        changes.add("public.items DELETE id=" + HEX.formatHex(int8(id)));
                    }
                    c.commit();
                    for (long id = nextId - size; id < nextId; id++) {
                        live.add(id);
                    }
                    written.add(new Written(xid, changes));
                    inserted += size;
                    insertedAt.put(insertLsn(probe).value(), inserted);
                }
            }
            return insertLsn(probe);
        }
    }

    /** How the topic's change of a row of {@code items} reads: operation and the binary values, in hex. */
    static String describe(String op, long id, int n, String payload) {
        return "public.items " + op + " id=" + HEX.formatHex(int8(id)) + " n=" + HEX.formatHex(ByteBuffer.allocate(4).putInt(n).array())
                + " payload=" + HEX.formatHex(payload.getBytes(StandardCharsets.UTF_8));
    }

    private void awaitWindow() {
        await("the slot to confirm rows up to " + (inserted - window) + " (" + inserted + " inserted)")
                .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> inserted - insertedUpTo(confirmedFlush.call()) <= window);
    }

    private String payload() {
        StringBuilder payload = new StringBuilder();
        int words = random.nextInt(40);
        for (int i = 0; i < words; i++) {
            payload.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(1000));
        }
        return payload.toString();
    }

    private static byte[] int8(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static long currentXid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet row = s.executeQuery("SELECT pg_current_xact_id()::text")) {
            row.next();
            return Long.parseLong(row.getString(1)) & 0xFFFF_FFFFL;
        }
    }

    static Lsn insertLsn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet row = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            row.next();
            return Lsn.parse(row.getString(1));
        }
    }
}
