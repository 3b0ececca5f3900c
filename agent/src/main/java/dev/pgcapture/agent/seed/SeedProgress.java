package dev.pgcapture.agent.seed;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a seed is: tables done of total, rows and bytes copied so far. Updated by the copying
 * threads, read by whoever reports it; thread-safe.
 */
public final class SeedProgress {

    /**
     * One reading of the progress.
     *
     * @param elapsed time since the copy started
     */
    public record Snapshot(int tablesDone, int tablesTotal, long rows, long bytes, Duration elapsed) {

        /** Bytes per second over the whole run so far. */
        public double bytesPerSecond() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds <= 0 ? 0 : bytes / seconds;
        }

        /** {@code tables 3/10, 1,234,567 rows, 120.5 MB, 40.2 MB/s}. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "tables %d/%d, %,d rows, %s, %s/s, %ds", tablesDone, tablesTotal, rows,
                    humanBytes(bytes), humanBytes(Math.round(bytesPerSecond())), elapsed.toSeconds());
        }
    }

    private final long startNanos = System.nanoTime();
    private final AtomicInteger tablesTotal = new AtomicInteger();
    private final AtomicInteger tablesDone = new AtomicInteger();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    void tablesTotal(int total) {
        tablesTotal.set(total);
    }

    void tableDone() {
        tablesDone.incrementAndGet();
    }

    void streamed(int byteCount, int rowCount) {
        bytes.addAndGet(byteCount);
        rows.addAndGet(rowCount);
    }

    void correctRows(long delta) {
        rows.addAndGet(delta);
    }

    /** The progress now. */
    public Snapshot snapshot() {
        return new Snapshot(tablesDone.get(), tablesTotal.get(), rows.get(), bytes.get(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    static String humanBytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
