package dev.pgcapture.agent.capture;

import dev.pgcapture.core.Meters;
import dev.pgcapture.core.PostgresUrl;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@code pgcapture_slot_lag_bytes{slot}}: how much WAL the server has written past
 * what the slot has confirmed ({@code confirmed_flush_lsn}), which is the WAL the slot keeps
 * from being recycled and what the agent still has to capture and get acknowledged. Each
 * {@link #sample} asks the server on a connection of its own, kept open between samples; the
 * gauge is NaN until the first sample and after one fails (a missing slot, a lost server).
 */
public final class SlotLag implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlotLag.class);
    /** On a standby (logical decoding there needs PostgreSQL 16) the WAL end is what was replayed. */
    static final String QUERY = "SELECT pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
            + " ELSE pg_current_wal_lsn() END, confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?";

    private final PostgresUrl url;
    private final String slot;
    private final AtomicLong bytes = new AtomicLong(Long.MIN_VALUE);
    private Connection connection;
    private boolean warned;

    private SlotLag(PostgresUrl url, String slot) {
        this.url = Objects.requireNonNull(url, "url");
        this.slot = Objects.requireNonNull(slot, "slot");
    }

    /** The slot lag of {@code slot} on {@code url}, its gauge registered in {@code registry}. */
    public static SlotLag register(MeterRegistry registry, PostgresUrl url, String slot) {
        SlotLag lag = new SlotLag(url, slot);
        Meters.release(registry, "pgcapture.slot.lag", Tags.of("slot", slot));
        Gauge.builder("pgcapture.slot.lag", lag.bytes, value -> value.get() == Long.MIN_VALUE ? Double.NaN : value.get())
                .tag("slot", slot).baseUnit("bytes")
                .description("WAL bytes written on the source past the slot's confirmed flush position")
                .register(registry);
        return lag;
    }

    /** The last sampled lag; empty before the first sample and after a failed one. */
    public OptionalLong bytes() {
        long value = bytes.get();
        return value == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** Asks the server for the slot's lag now; never throws (a failure is logged once per outage). */
    public synchronized void sample() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = url.connect();
                connection.setAutoCommit(true);
            }
            try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
                statement.setString(1, slot);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        throw new SQLException("replication slot \"" + slot + "\" does not exist");
                    }
                    long value = row.getLong(1);
                    bytes.set(row.wasNull() ? Long.MIN_VALUE : Math.max(0, value));
                }
            }
            warned = false;
        } catch (SQLException e) {
            bytes.set(Long.MIN_VALUE);
            if (!warned) {
                log.warn("cannot measure the lag of slot {} on {}: {}", slot, url, e.getMessage());
                warned = true;
            }
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the slot lag connection failed: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
