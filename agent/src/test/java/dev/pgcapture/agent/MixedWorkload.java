package dev.pgcapture.agent;

import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Source transactions of every kind the applier must get right, from one thread: inserts,
 * updates (of plain columns with a TOASTed column left unchanged, of the TOASTed column, of the
 * primary key), deletes, multi-row statements, identity and generated columns, a table without a
 * primary key holding identical duplicate rows and json and point columns, and a TRUNCATE
 * CASCADE of two tables linked by a foreign key.
 */
final class MixedWorkload {

    static final List<String> TABLES = List.of("public.accounts", "public.items", "public.events", "public.parents", "public.children");

    static final String[] DDL = {
        "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance numeric(12,2), doc text)",
        "ALTER TABLE accounts ALTER COLUMN doc SET STORAGE EXTERNAL",
        "CREATE TABLE items (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, qty int NOT NULL,"
                + " twice int GENERATED ALWAYS AS (qty * 2) STORED)",
        "CREATE TABLE events (kind text, payload json, at point, n int)",
        "ALTER TABLE events REPLICA IDENTITY FULL",
        "CREATE TABLE parents (id int PRIMARY KEY, name text)",
        "CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents, note text)",
    };

    private final TestDatabase db;
    private final Random random;
    private final List<Long> accounts = new ArrayList<>();
    private final List<Integer> items = new ArrayList<>();
    private long nextAccount = 1;
    private int nextParent = 1;

    MixedWorkload(TestDatabase db, long seed) {
        this.db = db;
        this.random = new Random(seed);
    }

    /** Commits {@code transactions} transactions; a TRUNCATE … CASCADE is one of them, at {@code truncateAt}. */
    void run(int transactions, int truncateAt) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            for (int t = 0; t < transactions; t++) {
                if (t == truncateAt) {
                    try (Statement s = c.createStatement()) {
                        s.execute("TRUNCATE parents CASCADE");
                    }
                } else {
                    int statements = 1 + random.nextInt(3);
                    for (int i = 0; i < statements; i++) {
                        statement(c);
                    }
                }
                c.commit();
            }
        }
    }

    private void statement(Connection c) throws SQLException {
        int pick = random.nextInt(100);
        if (pick < 20 || accounts.isEmpty()) {
            insertAccounts(c);
        } else if (pick < 32) {
            exec(c, "UPDATE accounts SET balance = balance + ?, owner = owner || 'x' WHERE id = ?", random.nextInt(100), anyAccount());
        } else if (pick < 36) {
            exec(c, "UPDATE accounts SET doc = ? WHERE id = ?", bigText(), anyAccount());
        } else if (pick < 40) {
            int index = random.nextInt(accounts.size());
            long id = accounts.get(index);
            long moved = nextAccount++;
            exec(c, "UPDATE accounts SET id = ? WHERE id = ?", moved, id);
            accounts.set(index, moved);
        } else if (pick < 44) {
            exec(c, "DELETE FROM accounts WHERE id = ?", accounts.remove(random.nextInt(accounts.size())));
        } else if (pick < 50) {
            long from = anyAccount();
            exec(c, "UPDATE accounts SET balance = balance + 1 WHERE id BETWEEN ? AND ?", from, from + 20);
        } else if (pick < 60) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO items (name, qty) SELECT 'item ' || g, g FROM generate_series(1, ?) g RETURNING id")) {
                s.setInt(1, 1 + random.nextInt(5));
                try (var r = s.executeQuery()) {
                    while (r.next()) {
                        items.add(r.getInt(1));
                    }
                }
            }
        } else if (pick < 68 && !items.isEmpty()) {
            exec(c, "UPDATE items SET qty = qty + 1, name = name || '+' WHERE id = ?", items.get(random.nextInt(items.size())));
        } else if (pick < 71 && !items.isEmpty()) {
            exec(c, "DELETE FROM items WHERE id = ?", items.remove(random.nextInt(items.size())));
        } else if (pick < 80) {
            // Identical rows, twice: the replica must keep both.
            int k = random.nextInt(20);
            String payload = "{\"k\": " + k + ", \"tags\": [\"a\", \"b\"]}";
            for (int i = 0; i < 2; i++) {
                exec(c, "INSERT INTO events VALUES (?, ?::json, point(?, ?), ?)", "kind" + k, payload, k, k / 2.0, k);
            }
        } else if (pick < 86) {
            exec(c, "UPDATE events SET n = n + 1 WHERE ctid = (SELECT ctid FROM events WHERE kind = ? LIMIT 1)", "kind" + random.nextInt(20));
        } else if (pick < 90) {
            exec(c, "DELETE FROM events WHERE ctid = (SELECT ctid FROM events WHERE kind = ? LIMIT 1)", "kind" + random.nextInt(20));
        } else if (pick < 96) {
            int parent = nextParent++;
            exec(c, "INSERT INTO parents VALUES (?, ?)", parent, "parent " + parent);
            exec(c, "INSERT INTO children SELECT ? * 10 + g, ?, 'child' FROM generate_series(0, 2) g", parent, parent);
        } else {
            exec(c, "UPDATE children SET note = note || '!' WHERE parent_id = ?", Math.max(1, nextParent - 1 - random.nextInt(3)));
        }
    }

    private void insertAccounts(Connection c) throws SQLException {
        int rows = 1 + random.nextInt(4);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO accounts VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                long id = nextAccount++;
                s.setLong(1, id);
                s.setString(2, "owner " + id);
                s.setBigDecimal(3, java.math.BigDecimal.valueOf(random.nextInt(100_000), 2));
                s.setString(4, random.nextInt(3) == 0 ? null : bigText());
                s.addBatch();
                accounts.add(id);
            }
            s.executeBatch();
        }
    }

    private long anyAccount() {
        return accounts.get(random.nextInt(accounts.size()));
    }

    /** About 3 kB of text stored out of line (EXTERNAL storage), so updates of other columns leave it unchanged TOAST. */
    private String bigText() {
        StringBuilder text = new StringBuilder(3000);
        while (text.length() < 3000) {
            text.append(Long.toHexString(random.nextLong()));
        }
        return text.toString();
    }

    private static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }
}
