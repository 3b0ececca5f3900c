package dev.pgcapture.cli;

import dev.pgcapture.agent.FatalAgentException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs an agent in the foreground of the process until it ends by itself or the JVM is asked to
 * stop (SIGTERM, Ctrl-C): then the agent is told to stop, and the JVM waits for it to finish
 * cleanly (up to a minute) before it exits with status 143.
 */
final class Foreground {

    /** An agent's run: returns when stopped, throws {@link FatalAgentException} when it cannot go on. */
    interface Run {
        void run() throws Exception;
    }

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private Foreground() {
    }

    /**
     * @param name the command's name, for messages
     * @param stop asks {@code run} to return; called from the shutdown hook
     * @return 0 when the agent stopped cleanly, 1 when it failed with {@link FatalAgentException} (the message is on {@code err})
     */
    static int run(String name, Run run, Runnable stop, PrintWriter err) throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            stop.run();
            try {
                finished.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            run.run();
            return 0;
        } catch (FatalAgentException e) {
            err.println(name + " stopped: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it is what stopped the agent.
            }
        }
    }
}
