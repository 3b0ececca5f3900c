package dev.pgcapture.agent.seed;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.core.Lsn;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SeedPlanTest {

    private static final Lsn CP = Lsn.parse("0/1000");
    private static final Optional<ReplicaPosition> SEEDED = Optional.of(new ReplicaPosition(ReplicaPosition.seededCheckpoint(CP),
            Optional.empty(), Instant.parse("2026-01-01T00:00:00Z"), Optional.of(CP), true));
    private static final ReplicaTables.Table TABLE = new ReplicaTables.Table(
            new TableStructure(42, "public", "t", "r", "default", new TreeMap<>()), CP, false);

    @Test
    void emptyReplica_isAFirstSeed_droppingNothing() {
        assertEquals(new SeedPlan(true, false), SeedPlan.decide(Optional.empty(), List.of(), false, false));
        assertEquals(new SeedPlan(true, false), SeedPlan.decide(Optional.empty(), List.of(), true, false));
    }

    @Test
    void tablesWithoutACheckpoint_areLeftOversOfAnInterruptedSeed_droppedWithoutForce() {
        assertEquals(new SeedPlan(true, true), SeedPlan.decide(Optional.empty(), List.of(TABLE), false, false));
    }

    @Test
    void seededReplica_withoutTablesOrForce_isRefusedNamingTheCheckpointAndWhatForceDoes() {
        SeedRefusedException e = assertThrows(SeedRefusedException.class, () -> SeedPlan.decide(SEEDED, List.of(TABLE), false, false));
        assertTrue(e.getMessage().contains("already holds checkpoint 0/FFF|ffffffff (seeded at consistent point 0/1000)"), e.getMessage());
        assertTrue(e.getMessage().contains("--force drops the 1 table(s)"), e.getMessage());
    }

    @Test
    void seededReplica_withForce_isSeededAgainFromScratch() {
        assertEquals(new SeedPlan(true, true), SeedPlan.decide(SEEDED, List.of(TABLE), false, true));
    }

    @Test
    void seededReplica_withTables_isAReseedKeepingTheCheckpoint() {
        assertEquals(new SeedPlan(false, false), SeedPlan.decide(SEEDED, List.of(TABLE), true, false));
    }

    @Test
    void reseed_ofATableNotMarkedNeedsSeed_needsForce() {
        SeedPlan reseed = new SeedPlan(false, false);
        Map<Long, ReplicaTables.Table> registry = registryWith(TABLE);
        SeedRefusedException e = assertThrows(SeedRefusedException.class, () -> reseed.checkReseed(Map.of(42L, "public.t"), registry, false));
        assertTrue(e.getMessage().contains("public.t (takes changes from 0/1000)"), e.getMessage());
        assertDoesNotThrow(() -> reseed.checkReseed(Map.of(42L, "public.t"), registry, true));
        assertDoesNotThrow(() -> reseed.checkReseed(Map.of(7L, "public.new_table"), registry, false), "a table the replica lacks");
    }

    @Test
    void reseed_ofATableMarkedNeedsSeed_needsNoForce() {
        Map<Long, ReplicaTables.Table> registry = registryWith(new ReplicaTables.Table(TABLE.structure(), CP, true));
        assertDoesNotThrow(() -> new SeedPlan(false, false).checkReseed(Map.of(42L, "public.t"), registry, false));
    }

    private static Map<Long, ReplicaTables.Table> registryWith(ReplicaTables.Table table) {
        return Map.of(table.structure().oid(), table);
    }
}
