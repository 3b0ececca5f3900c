package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import dev.pgcapture.proto.ScheduleProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code controller}, {@code schedule} and {@code schedules}: their options, errors and output, without a controller. */
class ControllerCommandsTest {

    /** Nothing listens on port 1: connecting fails at once. */
    private static final String NOBODY = "127.0.0.1:1";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void controller_withoutListen_isAUsageErrorNamingTheOptionAndItsVariable() {
        assertEquals(2, run("controller", "--store-url", "postgres://127.0.0.1:1/db"));
        assertTrue(err.toString().startsWith("Missing required option: '--listen=HOST:PORT' (or PGCAPTURE_LISTEN)"), err.toString());
    }

    @Test
    void controller_badListenAddress_isAUsageErrorSayingTheForm() {
        assertEquals(2, run("controller", "--listen", "10000", "--store-url", "postgres://127.0.0.1:1/db"));
        assertTrue(err.toString().startsWith("--listen: \"10000\" is not HOST:PORT with a port from 1 to 65535"), err.toString());
    }

    @Test
    void controller_missingResolverConfig_isAUsageErrorNamingTheFile() {
        assertEquals(2, run("controller", "--listen", "127.0.0.1:65000", "--store-url", "postgres://127.0.0.1:1/db",
                "--resolver-config", "/nonexistent/resolver.json"));
        assertTrue(err.toString().startsWith("--resolver-config: resolver config /nonexistent/resolver.json does not exist"), err.toString());
    }

    @Test
    void controller_unreachableStore_failsWithExitCode1_neverPrintingThePassword() {
        assertEquals(1, run("controller", "--listen", "127.0.0.1:65000", "--store-url", "postgres://alice:s3cret@127.0.0.1:1/ctl"));
        assertTrue(err.toString().startsWith("controller failed: cannot open the controller's store postgres://alice:***@127.0.0.1:1/ctl"),
                err.toString());
        assertFalse(err.toString().contains("s3cret"), err.toString());
    }

    @Test
    void schedule_withoutTable_isAUsageError() {
        assertEquals(2, run("schedule", "--controller", NOBODY, "--uri", "orders"));
        assertTrue(err.toString().startsWith("Missing required option: '--table=SCHEMA.TABLE' (or PGCAPTURE_TABLE)"), err.toString());
    }

    @Test
    void schedule_badTableName_isAUsageErrorNamingIt() {
        assertEquals(2, run("schedule", "--controller", NOBODY, "--uri", "orders", "--table", "a.b.c"));
        assertTrue(err.toString().startsWith("--table: invalid table name \"a.b.c\": expected schema.table, found 3 dotted parts"),
                err.toString());
    }

    @Test
    void schedule_unreachableController_isOneLineAndExitCode1() {
        assertEquals(1, run("schedule", "--controller", NOBODY, "--uri", "orders", "--table", "t"));
        assertTrue(err.toString().startsWith("pgcapture schedule: cannot reach the controller at 127.0.0.1:1: "), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void schedules_unreachableController_isOneLineAndExitCode1() {
        assertEquals(1, run("schedules", "--controller", NOBODY));
        assertTrue(err.toString().startsWith("pgcapture schedules: cannot reach the controller at 127.0.0.1:1: "), err.toString());
    }

    @Test
    void schedules_takeTheControllerFromTheEnvironment() {
        assertEquals(1, Main.execute(new String[] {"schedules"}, Map.of("PGCAPTURE_CONTROLLER", NOBODY), new PrintWriter(out, true),
                new PrintWriter(err, true)));
        assertTrue(err.toString().contains("cannot reach the controller at 127.0.0.1:1"), err.toString());
    }

    private static ScheduleProgress progress(int done, int total, long rows) {
        return ScheduleProgress.newBuilder().setUri("orders").setChunksDone(done).setChunksTotal(total).setRowsSent(rows)
                .setChunksInFlight(1).setChunksPending(total - done - 1).build();
    }

    @Test
    void progressLines_showChunksRowsRateAndEta_atMostEveryFiveSeconds() {
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(out, true), false);
        display.update(progress(10, 100, 1_000), java.time.Duration.ZERO);
        display.update(progress(20, 100, 2_000), java.time.Duration.ofSeconds(2)); // within 5 s: not printed
        display.update(progress(30, 100, 21_000), java.time.Duration.ofSeconds(10));
        display.finish(progress(100, 100, 91_000), java.time.Duration.ofSeconds(40));
        assertEquals(List.of(
                "orders: 10/100 chunks (10%), 1,000 rows, ETA --",
                "orders: 30/100 chunks (30%), 21,000 rows, 2,000 rows/s, ETA 35s",
                "done: URI orders, 100 chunks, 91,000 rows in 40.0 s (2,250 rows/s), 0 retries"), out.toString().lines().toList());
    }

    @Test
    void progressBar_isRedrawnInPlaceOnATerminal() {
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(out, true), true);
        display.update(progress(0, 4, 0), java.time.Duration.ZERO);
        display.update(progress(2, 4, 50), java.time.Duration.ofSeconds(1));
        assertTrue(out.toString().startsWith("\r[------------------------------]  0/4 chunks (0%), 0 rows, ETA --"), out.toString());
        assertTrue(out.toString().contains("\r[###############---------------]  2/4 chunks (50%), 50 rows, 50 rows/s, ETA 1s"), out.toString());
        assertFalse(out.toString().contains("\n"), "redrawn, not new lines");
    }

    @Test
    void schedulesTable_hasAColumnPerCount() {
        ScheduleProgress p = progress(1, 4, 1234).toBuilder().setRetries(2).setCoolDown(Duration.newBuilder().setSeconds(5)).build();
        SchedulesCommand.print(List.of(p), new PrintWriter(out, true));
        assertEquals(List.of(
                "URI     PROGRESS                     DONE  OUT  WAITING  RETRIES  ROWS   COOL-DOWN",
                "orders  [#####---------------]  25%  1/4   1    2        2        1,234  5s"), out.toString().lines().toList());
    }

    @Test
    void durations_areShortAndReadable() {
        assertEquals("45s", ProgressDisplay.duration(java.time.Duration.ofSeconds(45)));
        assertEquals("3m07s", ProgressDisplay.duration(java.time.Duration.ofSeconds(187)));
        assertEquals("2h05m", ProgressDisplay.duration(java.time.Duration.ofMinutes(125)));
    }
}
