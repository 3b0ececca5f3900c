package dev.pgcapture.cli;

import dev.pgcapture.proto.ScheduleProgress;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows how far a schedule has got while a command waits for it: on a terminal a bar redrawn in
 * place, otherwise (a log, a pipe) a plain line at most every {@link #LINE_INTERVAL}. Rates and
 * the ETA count from the first progress seen, so a schedule half done before is not mistaken
 * for a fast one.
 */
final class ProgressDisplay {

    static final Duration LINE_INTERVAL = Duration.ofSeconds(5);
    private static final int BAR_WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private ScheduleProgress first;
    private Duration lastLine;
    private int lastWidth;

    ProgressDisplay(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether standard output is an interactive terminal (JDK 22+ tells; on 21 a console exists only then). */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Shows {@code p}, seen {@code elapsed} after the command started waiting. */
    void update(ScheduleProgress p, Duration elapsed) {
        if (first == null) {
            first = p;
        }
        if (terminal) {
            String line = bar(p, BAR_WIDTH) + "  " + describe(p, elapsed);
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            out.flush();
        } else if (lastLine == null || elapsed.minus(lastLine).compareTo(LINE_INTERVAL) >= 0) {
            out.println(p.getUri() + ": " + describe(p, elapsed));
            out.flush();
            lastLine = elapsed;
        }
    }

    /** Ends the display with a summary of the finished schedule. */
    void finish(ScheduleProgress p, Duration elapsed) {
        if (first == null) {
            first = p;
        }
        if (terminal) {
            update(p, elapsed);
            out.println();
        }
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        out.printf(Locale.ROOT, "done: URI %s, %,d chunks, %,d rows in %.1f s (%,.0f rows/s), %d retries%n", p.getUri(),
                p.getChunksTotal(), p.getRowsSent(), seconds, (p.getRowsSent() - first.getRowsSent()) / seconds, p.getRetries());
        out.flush();
    }

    /** Ends a redrawn bar so that what follows starts on a line of its own. */
    void interrupt() {
        if (terminal && lastWidth > 0) {
            out.println();
            lastWidth = 0;
        }
    }

    String describe(ScheduleProgress p, Duration elapsed) {
        double seconds = elapsed.toMillis() / 1000.0;
        long total = Math.max(p.getChunksTotal(), 1);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d/%,d chunks (%d%%), %,d rows", p.getChunksDone(),
                p.getChunksTotal(), p.getChunksDone() * 100L / total, p.getRowsSent()));
        int doneSince = p.getChunksDone() - first.getChunksDone();
        if (seconds > 0 && doneSince > 0) {
            s.append(String.format(Locale.ROOT, ", %,.0f rows/s", (p.getRowsSent() - first.getRowsSent()) / seconds));
            long remaining = p.getChunksTotal() - p.getChunksDone();
            s.append(", ETA ").append(duration(Duration.ofMillis((long) (remaining * seconds * 1000 / doneSince))));
        } else {
            s.append(", ETA --");
        }
        if (p.getRetries() > 0) {
            s.append(", ").append(p.getRetries()).append(p.getRetries() == 1 ? " retry" : " retries");
        }
        return s.toString();
    }

    /** {@code [#####-----]}: the chunks done, {@code width} characters wide. */
    static String bar(ScheduleProgress p, int width) {
        int filled = p.getChunksTotal() == 0 ? width : (int) ((long) p.getChunksDone() * width / p.getChunksTotal());
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    /** {@code 45s}, {@code 3m07s}, {@code 2h05m}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
