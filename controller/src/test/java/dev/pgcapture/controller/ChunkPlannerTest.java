package dev.pgcapture.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.core.TableName;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {

    private static final TableName T = new TableName("public", "t");
    private static final long END = DumpChunk.LAST_PAGE;

    private static List<String> plan(long pages, long perChunk) {
        return ChunkPlanner.plan(T, pages, perChunk).stream()
                .map(c -> c.pageBegin() + ".." + (c.openEnded() ? "end" : Long.toString(c.pageEnd()))).toList();
    }

    @Test
    void plan_cutsIntoPagesPerChunk_theLastChunkOpenEnded() {
        assertEquals(List.of("0..3", "4..7", "8..end"), plan(10, 4));
        assertEquals(END, ChunkPlanner.plan(T, 10, 4).get(2).pageEnd());
    }

    @Test
    void plan_ofAnExactMultiple_endsWithAnOpenEndedFullChunk() {
        assertEquals(List.of("0..3", "4..end"), plan(8, 4));
    }

    @Test
    void plan_ofAnEmptyTable_isOneOpenEndedChunk() {
        assertEquals(List.of("0..end"), plan(0, 1000));
    }

    @Test
    void plan_ofATableSmallerThanAChunk_isOneOpenEndedChunk() {
        assertEquals(List.of("0..end"), plan(999, 1000));
    }

    @Test
    void plan_onePagePerChunk() {
        assertEquals(List.of("0..0", "1..1", "2..end"), plan(3, 1));
    }

    @Test
    void plan_refusesZeroPagesPerChunk() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(3, 0));
        assertEquals("pages per chunk must be at least 1, was 0", e.getMessage());
    }
}
