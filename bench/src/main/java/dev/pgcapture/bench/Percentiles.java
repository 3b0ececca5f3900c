package dev.pgcapture.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies by the nearest-rank method: the p-th percentile is the
 * smallest value that at least p% of the values do not exceed, so it is always one of the
 * measured values (never interpolated).
 */
final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    /**
     * @param values the latencies (any unit); copied
     * @throws IllegalArgumentException when there are none
     */
    static Percentiles of(long[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("percentiles need at least one value");
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted);
    }

    /**
     * The nearest-rank percentile: the value at rank {@code ceil(p / 100 * n)} of the sorted values.
     *
     * @throws IllegalArgumentException when {@code p} is not in (0, 100]
     */
    long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], was " + p);
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    long max() {
        return sorted[sorted.length - 1];
    }

    int count() {
        return sorted.length;
    }
}
