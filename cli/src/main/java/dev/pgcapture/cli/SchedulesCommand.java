package dev.pgcapture.cli;

import dev.pgcapture.proto.ScheduleProgress;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pgcapture schedules}: a table of a controller's schedules and how far each has got. */
@Command(name = "schedules", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "List a controller's dump schedules with their progress: chunks done, out (in flight), waiting "
                + "(pending or backing off), retries, rows acknowledged and the URI's cool-down. A finished schedule stays "
                + "listed until it is replaced or stopped.")
final class SchedulesCommand implements Callable<Integer> {

    private static final String[] HEADER = {"URI", "PROGRESS", "DONE", "OUT", "WAITING", "RETRIES", "ROWS", "COOL-DOWN"};

    @Spec
    CommandSpec spec;

    @Option(names = "--controller", paramLabel = "HOST:PORT", defaultValue = StandaloneCommand.DEFAULT_CONTROLLER,
            description = "The controller (the default is where pgcapture standalone serves it).")
    String controller;

    @Option(names = "--uri", paramLabel = "URI", description = "Only this URI's schedule (default: every schedule).")
    String uri;

    @Mixin
    ClientSecurityOptions clientSecurity;

    @Override
    public Integer call() {
        if (controller == null || controller.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--controller=HOST:PORT' (or PGCAPTURE_CONTROLLER)");
        }
        HostPort address;
        try {
            address = HostPort.parse("--controller", controller, "127.0.0.1");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String only = uri == null ? "" : uri;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ControllerClient client = new ControllerClient(address, clientSecurity.security())) {
            List<ScheduleProgress> schedules;
            try {
                schedules = client.schedules(only);
            } catch (StatusRuntimeException e) {
                err.println("pgcapture schedules: " + client.message(e));
                err.flush();
                return 1;
            }
            if (schedules.isEmpty()) {
                if (!only.isEmpty()) {
                    err.println("pgcapture schedules: URI " + only + " has no schedule");
                    err.flush();
                    return 1;
                }
                out.println("no schedules");
                out.flush();
                return 0;
            }
            print(schedules, out);
            return 0;
        }
    }

    static void print(List<ScheduleProgress> schedules, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ScheduleProgress p : schedules) {
            long percent = p.getChunksTotal() == 0 ? 100 : p.getChunksDone() * 100L / p.getChunksTotal();
            Duration coolDown = Duration.ofSeconds(p.getCoolDown().getSeconds(), p.getCoolDown().getNanos());
            rows.add(new String[] {
                p.getUri(),
                ProgressDisplay.bar(p, 20) + String.format(Locale.ROOT, " %3d%%", percent),
                String.format(Locale.ROOT, "%,d/%,d", p.getChunksDone(), p.getChunksTotal()),
                String.format(Locale.ROOT, "%,d", p.getChunksInFlight()),
                String.format(Locale.ROOT, "%,d", p.getChunksPending()),
                String.format(Locale.ROOT, "%,d", p.getRetries()),
                String.format(Locale.ROOT, "%,d", p.getRowsSent()),
                coolDown.toMillis() % 1000 == 0 ? coolDown.toSeconds() + "s" : coolDown.toMillis() + "ms",
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : "  ").append(row[i]).append(" ".repeat(widths[i] - row[i].length()));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
