package dev.pgcapture.controller;

import com.google.protobuf.Duration;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.ScheduleProgress;
import dev.pgcapture.proto.ScheduleRequest;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.SetScheduleCoolDownRequest;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checks the controller's requests and turns them into the scheduler's values; bad input is INVALID_ARGUMENT saying what is wrong. */
final class Requests {

    private Requests() {
    }

    static String uri(String uri) throws StatusException {
        if (uri.isEmpty()) {
            throw invalid("uri is empty: name the consumer URI");
        }
        return uri;
    }

    static List<DumpChunk> chunks(ScheduleRequest request) throws StatusException {
        uri(request.getUri());
        if (request.getDumpsCount() == 0) {
            throw invalid("dumps is empty: a schedule needs at least one chunk");
        }
        List<DumpChunk> chunks = new ArrayList<>(request.getDumpsCount());
        for (int i = 0; i < request.getDumpsCount(); i++) {
            DumpInfoResponse dump = request.getDumps(i);
            TableName table = table("dumps[" + i + "]", dump.getSchema(), dump.getTable());
            long begin = Integer.toUnsignedLong(dump.getPageBegin());
            long end = Integer.toUnsignedLong(dump.getPageEnd());
            if (begin > end) {
                throw invalid("dumps[" + i + "] (" + table + "): page_begin " + begin + " is after page_end " + end);
            }
            chunks.add(new DumpChunk(table, begin, end));
        }
        return chunks;
    }

    static List<TableName> tables(ScheduleTablesRequest request) throws StatusException {
        uri(request.getUri());
        if (request.getTablesCount() == 0) {
            throw invalid("tables is empty: name at least one table to dump");
        }
        Set<TableName> tables = new LinkedHashSet<>();
        for (int i = 0; i < request.getTablesCount(); i++) {
            TableName table = table("tables[" + i + "]", request.getTables(i).getSchema(), request.getTables(i).getTable());
            if (!tables.add(table)) {
                throw invalid("tables[" + i + "]: " + table + " is listed twice");
            }
        }
        return List.copyOf(tables);
    }

    static java.time.Duration coolDown(SetScheduleCoolDownRequest request) throws StatusException {
        uri(request.getUri());
        Duration d = request.getDuration();
        if (d.getSeconds() < 0 || d.getNanos() < 0 || d.getNanos() >= 1_000_000_000) {
            throw invalid("duration " + d.getSeconds() + " s " + d.getNanos() + " ns is not a valid cool-down: it must be zero or positive");
        }
        return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    static ScheduleProgress progress(Scheduler.Progress p) {
        return ScheduleProgress.newBuilder()
                .setUri(p.uri())
                .setChunksTotal(p.total())
                .setChunksDone(p.done())
                .setChunksInFlight(p.inFlight())
                .setChunksPending(p.pending())
                .setRetries(p.retries())
                .setRowsSent(p.rows())
                .setCoolDown(Duration.newBuilder().setSeconds(p.coolDown().getSeconds()).setNanos(p.coolDown().getNano()))
                .build();
    }

    private static TableName table(String where, String schema, String table) throws StatusException {
        if (schema.isEmpty()) {
            throw invalid(where + ": schema is empty");
        }
        if (table.isEmpty()) {
            throw invalid(where + ": table is empty");
        }
        return new TableName(schema, table);
    }

    private static StatusException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asException();
    }
}
