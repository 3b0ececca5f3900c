package dev.pgcapture.controller;

import dev.pgcapture.controller.ChunkState.State;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's store in a PostgreSQL database: schema {@value #SCHEMA}, created at start if
 * missing. Every method is one transaction. A session-level advisory lock makes the store one
 * controller's at a time (it goes with the session: a killed controller releases it at once).
 * A broken connection is opened again on the next call.
 */
final class PostgresStore implements ScheduleStore {

    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);

    static final String SCHEMA = "pgcapture_controller";
    /** The advisory lock key: "pgctl" in ASCII. */
    private static final long LOCK_KEY = 0x7067_6374_6CL;

    private static final String[] CREATE = {
        "CREATE SCHEMA IF NOT EXISTS " + SCHEMA,
        """
        CREATE TABLE IF NOT EXISTS pgcapture_controller.schedules (
            uri text PRIMARY KEY,
            created_at timestamptz NOT NULL
        )""",
        """
        CREATE TABLE IF NOT EXISTS pgcapture_controller.chunks (
            uri text NOT NULL REFERENCES pgcapture_controller.schedules (uri) ON DELETE CASCADE,
            seq integer NOT NULL,
            schema_name text NOT NULL,
            table_name text NOT NULL,
            page_begin bigint NOT NULL CHECK (page_begin BETWEEN 0 AND 4294967295),
            page_end bigint NOT NULL CHECK (page_end BETWEEN page_begin AND 4294967295),
            state text NOT NULL CHECK (state IN ('pending', 'in_flight', 'acked', 'done')),
            position bigint NOT NULL,
            retries integer NOT NULL,
            not_before timestamptz,
            rows bigint NOT NULL,
            PRIMARY KEY (uri, seq)
        )""",
        """
        CREATE TABLE IF NOT EXISTS pgcapture_controller.cool_downs (
            uri text PRIMARY KEY,
            cool_down_micros bigint NOT NULL CHECK (cool_down_micros >= 0)
        )""",
    };

    private static final String INSERT_CHUNKS = """
            INSERT INTO pgcapture_controller.chunks
                (uri, seq, schema_name, table_name, page_begin, page_end, state, position, retries, not_before, rows)
            SELECT ?, c.seq, c.schema_name, c.table_name, c.page_begin, c.page_end, c.state, c.position, c.retries,
                   c.not_before::timestamptz, c.rows
            FROM unnest(?::int[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::int[], ?::text[], ?::bigint[])
                AS c(seq, schema_name, table_name, page_begin, page_end, state, position, retries, not_before, rows)""";

    private static final String UPDATE_CHUNKS = """
            UPDATE pgcapture_controller.chunks AS k
            SET state = c.state, position = c.position, retries = c.retries, not_before = c.not_before::timestamptz, rows = c.rows
            FROM unnest(?::int[], ?::text[], ?::bigint[], ?::int[], ?::text[], ?::bigint[])
                AS c(seq, state, position, retries, not_before, rows)
            WHERE k.uri = ? AND k.seq = c.seq""";

    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final PostgresUrl url;
    private final Duration lockWait;
    private Connection connection;

    private PostgresStore(PostgresUrl url, Duration lockWait) {
        this.url = url;
        this.lockWait = lockWait;
    }

    /**
     * Connects, takes the store's lock and creates the schema if missing.
     *
     * @param lockWait how long to wait for the lock: the session of a controller that was just
     *     killed holds it until PostgreSQL notices
     * @throws StoreException when the database cannot be reached or another controller uses it
     */
    static PostgresStore open(PostgresUrl url, Duration lockWait) {
        PostgresStore store = new PostgresStore(url, lockWait);
        store.connection();
        return store;
    }

    @Override
    public Contents recover() {
        return inTransaction("recover", c -> {
            try (Statement s = c.createStatement()) {
                int reset = s.executeUpdate("UPDATE pgcapture_controller.chunks SET state = 'pending' WHERE state IN ('in_flight', 'acked')");
                if (reset > 0) {
                    log.info("{} chunk(s) that were out when the controller stopped are pending again", reset);
                }
            }
            Map<String, Instant> created = new LinkedHashMap<>();
            Map<String, List<ChunkState>> chunks = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT uri, created_at FROM pgcapture_controller.schedules ORDER BY uri")) {
                while (r.next()) {
                    created.put(r.getString(1), r.getObject(2, OffsetDateTime.class).toInstant());
                    chunks.put(r.getString(1), new ArrayList<>());
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("""
                         SELECT uri, seq, schema_name, table_name, page_begin, page_end, state, position, retries, not_before, rows
                         FROM pgcapture_controller.chunks ORDER BY uri, seq""")) {
                while (r.next()) {
                    OffsetDateTime notBefore = r.getObject(10, OffsetDateTime.class);
                    DumpChunk chunk = new DumpChunk(new TableName(r.getString(3), r.getString(4)), r.getLong(5), r.getLong(6));
                    chunks.get(r.getString(1)).add(new ChunkState(r.getInt(2), chunk, State.valueOf(r.getString(7).toUpperCase(Locale.ROOT)),
                            r.getLong(8), r.getInt(9), notBefore == null ? null : notBefore.toInstant(), r.getLong(11)));
                }
            }
            Map<String, Duration> coolDowns = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT uri, cool_down_micros FROM pgcapture_controller.cool_downs")) {
                while (r.next()) {
                    coolDowns.put(r.getString(1), Duration.ofNanos(r.getLong(2) * 1000));
                }
            }
            List<StoredSchedule> schedules = new ArrayList<>();
            created.forEach((uri, at) -> schedules.add(new StoredSchedule(uri, at, chunks.get(uri))));
            return new Contents(schedules, coolDowns);
        });
    }

    @Override
    public void create(String uri, Instant createdAt, List<ChunkState> chunks) {
        inTransaction("create the schedule of URI " + uri, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM pgcapture_controller.schedules WHERE uri = ?")) {
                s.setString(1, uri);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO pgcapture_controller.schedules (uri, created_at) VALUES (?, ?::timestamptz)")) {
                s.setString(1, uri);
                s.setString(2, createdAt.toString());
                s.executeUpdate();
            }
            int n = chunks.size();
            Object[] seq = new Object[n], schema = new Object[n], table = new Object[n], begin = new Object[n], end = new Object[n];
            Object[] state = new Object[n], position = new Object[n], retries = new Object[n], notBefore = new Object[n], rows = new Object[n];
            for (int i = 0; i < n; i++) {
                ChunkState chunk = chunks.get(i);
                seq[i] = chunk.seq();
                schema[i] = chunk.chunk().table().schema();
                table[i] = chunk.chunk().table().table();
                begin[i] = chunk.chunk().pageBegin();
                end[i] = chunk.chunk().pageEnd();
                state[i] = stateName(chunk.state());
                position[i] = chunk.position();
                retries[i] = chunk.retries();
                notBefore[i] = chunk.notBefore() == null ? null : chunk.notBefore().toString();
                rows[i] = chunk.rows();
            }
            try (PreparedStatement s = c.prepareStatement(INSERT_CHUNKS)) {
                s.setString(1, uri);
                s.setArray(2, c.createArrayOf("int4", seq));
                s.setArray(3, c.createArrayOf("text", schema));
                s.setArray(4, c.createArrayOf("text", table));
                s.setArray(5, c.createArrayOf("int8", begin));
                s.setArray(6, c.createArrayOf("int8", end));
                s.setArray(7, c.createArrayOf("text", state));
                s.setArray(8, c.createArrayOf("int8", position));
                s.setArray(9, c.createArrayOf("int4", retries));
                s.setArray(10, c.createArrayOf("text", notBefore));
                s.setArray(11, c.createArrayOf("int8", rows));
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void delete(String uri) {
        inTransaction("delete the schedule of URI " + uri, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM pgcapture_controller.schedules WHERE uri = ?")) {
                s.setString(1, uri);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void update(String uri, Collection<ChunkState> chunks) {
        inTransaction("update the schedule of URI " + uri, c -> {
            int n = chunks.size();
            Object[] seq = new Object[n], state = new Object[n], position = new Object[n], retries = new Object[n];
            Object[] notBefore = new Object[n], rows = new Object[n];
            int i = 0;
            for (ChunkState chunk : chunks) {
                seq[i] = chunk.seq();
                state[i] = stateName(chunk.state());
                position[i] = chunk.position();
                retries[i] = chunk.retries();
                notBefore[i] = chunk.notBefore() == null ? null : chunk.notBefore().toString();
                rows[i] = chunk.rows();
                i++;
            }
            try (PreparedStatement s = c.prepareStatement(UPDATE_CHUNKS)) {
                s.setArray(1, c.createArrayOf("int4", seq));
                s.setArray(2, c.createArrayOf("text", state));
                s.setArray(3, c.createArrayOf("int8", position));
                s.setArray(4, c.createArrayOf("int4", retries));
                s.setArray(5, c.createArrayOf("text", notBefore));
                s.setArray(6, c.createArrayOf("int8", rows));
                s.setString(7, uri);
                int updated = s.executeUpdate();
                if (updated != n) {
                    throw new SQLException("expected to update " + n + " chunk(s) of URI " + uri + ", updated " + updated
                            + ": the store was changed behind the controller's back");
                }
            }
            return null;
        });
    }

    @Override
    public void coolDown(String uri, Duration coolDown) {
        inTransaction("set the cool-down of URI " + uri, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO pgcapture_controller.cool_downs (uri, cool_down_micros) VALUES (?, ?)
                    ON CONFLICT (uri) DO UPDATE SET cool_down_micros = excluded.cool_down_micros""")) {
                s.setString(1, uri);
                s.setLong(2, coolDown.toNanos() / 1000);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the store's connection: {}", e.getMessage());
            }
            connection = null;
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private synchronized <T> T inTransaction(String what, Work<T> work) {
        Connection c = connection();
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            if (e instanceof SQLException && !isAlive(c)) {
                close(); // the next call connects again (and takes the lock again)
            }
            throw new StoreException("cannot " + what + " in the controller's store " + url + ": " + e.getMessage(), e);
        }
    }

    private Connection connection() {
        if (connection != null) {
            return connection;
        }
        Connection c = null;
        try {
            c = url.connect();
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = " + Math.max(1, lockWait.toMillis()));
                s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
                s.execute("RESET lock_timeout");
            } catch (SQLException e) {
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw new StoreException("another controller uses the store " + url + " (it has held the advisory lock "
                            + LOCK_KEY + " for " + lockWait.toMillis() + " ms): one controller per store database", e);
                }
                throw e;
            }
            try (Statement s = c.createStatement()) {
                for (String sql : CREATE) {
                    s.execute(sql);
                }
            }
            c.setAutoCommit(false);
            connection = c;
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StoreException("cannot open the controller's store " + url + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static boolean isAlive(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }

    private static String stateName(State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
