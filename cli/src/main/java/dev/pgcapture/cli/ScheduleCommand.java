package dev.pgcapture.cli;

import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.ScheduleProgress;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.ScheduleTablesResponse;
import dev.pgcapture.proto.StopScheduleRequest;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture schedule}: schedules dumps of whole tables for a consumer URI (the controller
 * plans the chunks from the tables' sizes on the URI's replica), then shows progress until the
 * schedule is done; or, with {@code --stop}, stops the URI's schedule. Exit code 1 with a
 * one-line message when the controller refuses or cannot be reached.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Dump whole tables to the consumers of a URI: the controller cuts each table into page-range chunks "
                + "from its size on the URI's replica (the last chunk open-ended, so rows added meanwhile are dumped too) and "
                + "hands them to the URI's gateway streams. Waits, showing progress, until every chunk is acknowledged. "
                + "With --stop, stops the URI's schedule instead.")
final class ScheduleCommand implements Callable<Integer> {

    private static final Duration PLAN_TIMEOUT = Duration.ofMinutes(3);

    @Spec
    CommandSpec spec;

    @Option(names = "--controller", paramLabel = "HOST:PORT", defaultValue = StandaloneCommand.DEFAULT_CONTROLLER,
            description = "The controller (the default is where pgcapture standalone serves it).")
    String controller;

    @Option(names = "--uri", paramLabel = "URI", description = "The consumer URI the dump is for (required).")
    String uri;

    @Option(names = "--table", paramLabel = "SCHEMA.TABLE",
            description = "A table to dump, in SQL syntax (orders, public.orders, \"Sales\".\"Line items\"); repeat the option "
                    + "or separate names with commas. Required unless --stop.")
    List<String> tables;

    @Option(names = "--pages-per-chunk", paramLabel = "N", defaultValue = "0",
            description = "Pages of 8 kB per chunk; 0: the controller's default (1000 pages, 8 MB).")
    long pagesPerChunk;

    @Option(names = "--no-wait", description = "Print the planned chunks and return without waiting for the dump.")
    boolean noWait;

    @Option(names = "--stop", description = "Stop the URI's schedule: chunks out are dropped, nothing more is handed out.")
    boolean stop;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often to ask the controller for progress while waiting.")
    Duration pollInterval;

    @Mixin
    ClientSecurityOptions clientSecurity;

    @Override
    public Integer call() throws InterruptedException {
        HostPort address = usage(() -> HostPort.parse("--controller", OptionValues.required(spec, controller, "--controller=HOST:PORT",
                "PGCAPTURE_CONTROLLER"), "127.0.0.1"));
        String forUri = OptionValues.required(spec, uri, "--uri=URI", "PGCAPTURE_URI");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ControllerClient client = new ControllerClient(address, clientSecurity.security())) {
            try {
                if (stop) {
                    return stop(client, forUri, out, err);
                }
                ScheduleTablesResponse planned = client.stub(PLAN_TIMEOUT).scheduleTables(request(forUri));
                printPlan(planned, forUri, noWait, out);
                if (noWait) {
                    return 0;
                }
                return new ScheduleWatch(client, forUri, pollInterval, out, err).await();
            } catch (StatusRuntimeException e) {
                err.println("pgcapture schedule: " + client.message(e));
                err.flush();
                return 1;
            }
        }
    }

    private ScheduleTablesRequest request(String forUri) {
        if (tables == null || tables.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--table=SCHEMA.TABLE' (or PGCAPTURE_TABLE)");
        }
        if (pagesPerChunk < 0 || pagesPerChunk > 0xFFFF_FFFFL) {
            throw new ParameterException(spec.commandLine(), "--pages-per-chunk: " + pagesPerChunk + " is not from 0 to 4294967295");
        }
        Set<TableName> names = new LinkedHashSet<>();
        for (String text : tables) {
            names.addAll(usage(() -> {
                try {
                    return TableName.parseList(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--table: " + e.getMessage(), e);
                }
            }));
        }
        ScheduleTablesRequest.Builder request = ScheduleTablesRequest.newBuilder().setUri(forUri).setPagesPerChunk((int) pagesPerChunk);
        for (TableName name : names) {
            request.addTables(dev.pgcapture.proto.TableName.newBuilder().setSchema(name.schema()).setTable(name.table()));
        }
        return request.build();
    }

    /** The plan: each table's chunk count and pages, and with {@code everyChunk} each chunk. */
    private static void printPlan(ScheduleTablesResponse planned, String forUri, boolean everyChunk, PrintWriter out) {
        Map<String, List<DumpInfoResponse>> byTable = new LinkedHashMap<>();
        for (DumpInfoResponse dump : planned.getDumpsList()) {
            byTable.computeIfAbsent(new TableName(dump.getSchema(), dump.getTable()).toString(), t -> new ArrayList<>()).add(dump);
        }
        out.println("scheduled " + planned.getDumpsCount() + " chunk(s) of " + byTable.size() + " table(s) for URI " + forUri);
        byTable.forEach((table, dumps) -> {
            out.println("  " + table + ": " + dumps.size() + " chunk(s), pages 0.." + pageEnd(dumps.get(dumps.size() - 1)));
            if (everyChunk) {
                dumps.forEach(d -> out.println("    pages " + Integer.toUnsignedLong(d.getPageBegin()) + ".." + pageEnd(d)));
            }
        });
        out.flush();
    }

    private static String pageEnd(DumpInfoResponse dump) {
        long end = Integer.toUnsignedLong(dump.getPageEnd());
        return end == 0xFFFF_FFFFL ? "end" : Long.toString(end);
    }

    private int stop(ControllerClient client, String forUri, PrintWriter out, PrintWriter err) {
        Optional<ScheduleProgress> current = client.schedule(forUri);
        if (current.isEmpty()) {
            err.println("pgcapture schedule: URI " + forUri + " has no schedule to stop");
            err.flush();
            return 1;
        }
        client.stub(Duration.ofSeconds(30)).stopSchedule(StopScheduleRequest.newBuilder().setUri(forUri).build());
        ScheduleProgress p = current.get();
        out.println("stopped the schedule of URI " + forUri + " at " + p.getChunksDone() + " of " + p.getChunksTotal() + " chunks done");
        out.flush();
        return 0;
    }

    private interface Parse<T> {
        T get();
    }

    private <T> T usage(Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

}
