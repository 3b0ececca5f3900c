package dev.pgcapture.agent.seed;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Reports a seed's progress every interval while it runs, on a daemon thread of its own. */
final class ProgressReporter implements AutoCloseable {

    private final SeedProgress progress;
    private final Consumer<String> report;
    private final ScheduledExecutorService timer;

    private ProgressReporter(SeedProgress progress, Consumer<String> report) {
        this.progress = progress;
        this.report = report;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("seed-progress").unstarted(r));
    }

    static ProgressReporter start(SeedProgress progress, Duration interval, Consumer<String> report) {
        ProgressReporter reporter = new ProgressReporter(progress, report);
        long millis = interval.toMillis();
        reporter.timer.scheduleAtFixedRate(reporter::tick, millis, millis, TimeUnit.MILLISECONDS);
        return reporter;
    }

    private void tick() {
        SeedProgress.Snapshot now = progress.snapshot();
        report.accept(now.tablesTotal() == 0 && now.bytes() == 0
                ? "progress: waiting for a consistent snapshot of the source (" + now.elapsed().toSeconds() + "s)"
                : "progress: " + now);
    }

    /** Stops the periodic reports and reports once more. */
    void finalReport() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        tick();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
