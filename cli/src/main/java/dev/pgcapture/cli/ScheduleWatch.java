package dev.pgcapture.cli;

import dev.pgcapture.proto.ScheduleProgress;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * Polls a controller for a URI's schedule until it is done, showing progress. The schedule is
 * durable, so a controller that cannot be reached for a while (restarting) is waited for.
 */
final class ScheduleWatch {

    private final ControllerClient client;
    private final String uri;
    private final Duration pollInterval;
    private final PrintWriter out;
    private final PrintWriter err;

    ScheduleWatch(ControllerClient client, String uri, Duration pollInterval, PrintWriter out, PrintWriter err) {
        this.client = client;
        this.uri = uri;
        this.pollInterval = pollInterval;
        this.out = out;
        this.err = err;
    }

    /** Returns 0 once the schedule is done, 1 when it was stopped or the controller refuses to answer. */
    int await() throws InterruptedException {
        ProgressDisplay display = new ProgressDisplay(out, ProgressDisplay.stdoutIsTerminal());
        long start = System.nanoTime();
        boolean unreachable = false;
        while (true) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Optional<ScheduleProgress> progress;
            try {
                progress = client.schedule(uri);
                unreachable = false;
            } catch (StatusRuntimeException e) {
                if (!ControllerClient.unreachable(e)) {
                    throw e;
                }
                if (!unreachable) {
                    display.interrupt();
                    err.println("pgcapture schedule: " + client.message(e) + "; the schedule is stored, waiting for the controller");
                    err.flush();
                    unreachable = true;
                }
                Thread.sleep(pollInterval.toMillis());
                continue;
            }
            if (progress.isEmpty()) {
                display.interrupt();
                err.println("pgcapture schedule: the schedule of URI " + uri + " was stopped");
                err.flush();
                return 1;
            }
            ScheduleProgress p = progress.get();
            if (p.getChunksDone() == p.getChunksTotal()) {
                display.finish(p, elapsed);
                return 0;
            }
            display.update(p, elapsed);
            Thread.sleep(pollInterval.toMillis());
        }
    }
}
