package dev.pgcapture.agent.setup;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Preflight} found: one line per check, in the order they ran. It has
 * {@link #failed() failed} iff some line is {@link Status#FAIL}; {@link Status#NOT_INITIALIZED}
 * (init has not run yet) and {@link Status#WARN} do not fail it.
 */
public record PreflightReport(List<Line> lines) {

    /** The outcome of one check. */
    public enum Status { OK, WARN, FAIL, NOT_INITIALIZED }

    /**
     * One check.
     *
     * @param check what was checked, e.g. {@code wal_level}
     * @param detail what was found
     * @param fix how to fix it; empty when there is nothing to fix
     */
    public record Line(Status status, String check, String detail, String fix) {

        public Line {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(fix, "fix");
        }

        /** {@code [FAIL] wal_level: replica. Fix: …}, for a terminal or a log. */
        @Override
        public String toString() {
            return "[" + status + "] " + check + ": " + detail + (fix.isEmpty() ? "" : ". Fix: " + fix);
        }
    }

    public PreflightReport {
        lines = List.copyOf(lines);
    }

    /** True iff some check failed. */
    public boolean failed() {
        return lines.stream().anyMatch(line -> line.status() == Status.FAIL);
    }

    /** The lines of one status. */
    public List<Line> lines(Status status) {
        return lines.stream().filter(line -> line.status() == status).toList();
    }
}
