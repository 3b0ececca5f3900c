package dev.pgcapture.bench;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link WireTally tallies} of scenario {@code wire}: per measure, over every table and per table. */
final class WireTallies {

    private final Map<WireScenario.Measure, WireTally> all = new EnumMap<>(WireScenario.Measure.class);
    private final Map<String, Map<WireScenario.Measure, WireTally>> byTable = new LinkedHashMap<>();

    /** @param tables the tables, as {@code schema.table}, in the order the report lists them */
    WireTallies(List<String> tables) {
        for (WireScenario.Measure m : WireScenario.Measure.values()) {
            all.put(m, new WireTally());
        }
        for (String table : tables) {
            Map<WireScenario.Measure, WireTally> tallies = new EnumMap<>(WireScenario.Measure.class);
            for (WireScenario.Measure m : WireScenario.Measure.values()) {
                tallies.put(m, new WireTally());
            }
            byTable.put(table, tallies);
        }
    }

    /** Counts one change of {@code table}; a table not given at construction is refused. */
    void add(WireScenario.Measure measure, String table, WireTally.Op op, long bytes) {
        Map<WireScenario.Measure, WireTally> tallies = byTable.get(table);
        if (tallies == null) {
            throw new IllegalArgumentException("table " + table + " is not one of " + byTable.keySet());
        }
        tallies.get(measure).add(op, bytes);
        all.get(measure).add(op, bytes);
    }

    boolean counts(String table) {
        return byTable.containsKey(table);
    }

    WireTally get(WireScenario.Measure measure) {
        return all.get(measure);
    }

    WireTally get(WireScenario.Measure measure, String table) {
        return byTable.get(table).get(measure);
    }

    List<String> tables() {
        return List.copyOf(byTable.keySet());
    }
}
