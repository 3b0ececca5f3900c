package dev.pgcapture.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WireTallyTest {

    @Test
    void perChange_isTheMeanPerOperationAndOverAll() {
        WireTally tally = new WireTally();
        tally.add(WireTally.Op.INSERT, 300);
        tally.add(WireTally.Op.INSERT, 310);
        tally.add(WireTally.Op.DELETE, 80);

        assertEquals(305.0, tally.perChange(WireTally.Op.INSERT));
        assertEquals(80.0, tally.perChange(WireTally.Op.DELETE));
        assertEquals(690.0 / 3, tally.perChange());
        assertEquals(3, tally.changes());
        assertTrue(Double.isNaN(tally.perChange(WireTally.Op.UPDATE)), "no update was counted");
    }

    @Test
    void debeziumOps_mapToOperations_andASnapshotReadIsRefused() {
        assertEquals(WireTally.Op.INSERT, WireTally.Op.ofDebezium("c"));
        assertEquals(WireTally.Op.UPDATE, WireTally.Op.ofDebezium("u"));
        assertEquals(WireTally.Op.DELETE, WireTally.Op.ofDebezium("d"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WireTally.Op.ofDebezium("r"));
        assertEquals("unexpected Debezium op 'r' (expected c, u or d)", e.getMessage());
    }
}
