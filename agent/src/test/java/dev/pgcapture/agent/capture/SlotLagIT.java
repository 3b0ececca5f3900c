package dev.pgcapture.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link SlotLag} against a real PostgreSQL: the WAL a slot holds back, as its gauge shows it. */
@ExtendWith(PostgresExtension.class)
class SlotLagIT {

    @Test
    void lag_growsWithWalWrittenPastTheSlot_andFallsWhenTheSlotConfirmsIt(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id bigint PRIMARY KEY, body text)");
        String slot = db.createPgoutputSlot();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SlotLag lag = SlotLag.register(registry, PostgresUrl.parse(db.jdbcUrl()), slot)) {
            assertTrue(Double.isNaN(registry.get("pgcapture.slot.lag").tag("slot", slot).gauge().value()), "NaN before the first sample");

            // Test clusters commit asynchronously: flush, so that the WAL position covers the commit.
            db.execute("SET synchronous_commit = on", "INSERT INTO items SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
            lag.sample();
            long behind = lag.bytes().orElseThrow();
            assertTrue(behind > 2_000_000, "20,000 rows of 200 bytes put more than 2 MB of WAL past the slot: " + behind);
            assertEquals((double) behind, registry.get("pgcapture.slot.lag").tag("slot", slot).gauge().value());

            db.execute("SELECT pg_replication_slot_advance('" + slot + "', pg_current_wal_lsn())");
            lag.sample();
            long after = lag.bytes().orElseThrow();
            assertTrue(after < behind / 10, "once the slot has confirmed the WAL, little is left: " + after + " of " + behind);
        } finally {
            db.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    @Test
    void aMissingSlot_leavesTheGaugeUnknown_notZero(TestDatabase db) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SlotLag lag = SlotLag.register(registry, PostgresUrl.parse(db.jdbcUrl()), "no_such_slot")) {
            lag.sample();
            assertEquals(OptionalLong.empty(), lag.bytes());
            assertTrue(Double.isNaN(registry.get("pgcapture.slot.lag").tag("slot", "no_such_slot").gauge().value()));
        }
    }
}
