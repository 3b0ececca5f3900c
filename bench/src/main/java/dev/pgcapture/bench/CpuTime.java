package dev.pgcapture.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of processes, read from {@code /proc} (Linux), in seconds. */
final class CpuTime {

    /** Kernel clock ticks per second; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuTime() {
    }

    /** User plus system CPU of process {@code pid} so far, or NaN when it cannot be read (gone, not Linux). */
    static double ofProcess(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; the fields after it start past its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** This JVM's CPU so far (every thread: agent, broker, client). */
    static double ofThisJvm() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }
}
