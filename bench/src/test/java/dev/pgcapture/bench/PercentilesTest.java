package dev.pgcapture.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRank_ofOneToHundred_isTheValueAtThatRank() {
        Percentiles p = Percentiles.of(LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray());
        assertEquals(50, p.percentile(50));
        assertEquals(99, p.percentile(99));
        assertEquals(100, p.percentile(100));
        assertEquals(1, p.percentile(0.5));
        assertEquals(100, p.max());
        assertEquals(100, p.count());
    }

    @Test
    void p99_ofFewValues_isTheLargest_neverInterpolated() {
        Percentiles p = Percentiles.of(new long[] {7, 3, 1000});
        assertEquals(7, p.percentile(50));
        assertEquals(1000, p.percentile(99));
    }

    @Test
    void noValues_orAPercentileOutOfRange_areRefusedByName() {
        assertEquals("percentiles need at least one value",
                assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new long[0])).getMessage());
        assertEquals("a percentile is in (0, 100], was 0.0",
                assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new long[] {1}).percentile(0)).getMessage());
    }
}
