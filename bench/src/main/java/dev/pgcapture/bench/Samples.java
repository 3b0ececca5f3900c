package dev.pgcapture.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The figures of several runs of one measurement, and their median. */
record Samples(List<Double> values) {

    Samples {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs at least one run");
        }
        values = List.copyOf(values);
    }

    /** The median: the middle value, or the mean of the two middle values. */
    double median() {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** {@code "median (run1, run2, ...)"} with {@code format} applied to each figure. */
    String describe(String format) {
        return String.format(Locale.ROOT, format, median()) + " ("
                + values.stream().map(v -> String.format(Locale.ROOT, format, v)).collect(Collectors.joining(", ")) + ")";
    }

    static Samples of(double... values) {
        return new Samples(Arrays.stream(values).boxed().toList());
    }
}
