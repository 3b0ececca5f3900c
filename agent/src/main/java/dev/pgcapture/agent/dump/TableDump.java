package dev.pgcapture.agent.dump;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.TableDumpRequest;
import dev.pgcapture.proto.TableDumpResponse;
import dev.pgcapture.proto.TableDumpSnapshot;
import dev.pgcapture.proto.TableDumpStart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code TableDump} protocol: {@code start}, a bounded wait for the replica to reach
 * {@code min_lsn}, then one transaction that answers {@code snapshot} and streams each requested
 * chunk followed by its {@code chunk_end}, until the caller half-closes.
 */
final class TableDump {

    private final PostgresUrl replica;
    private final DumpRegistry registry;
    private final DumpLimits limits;
    private final Clock clock;
    private final AtomicLong rowsRead;

    TableDump(PostgresUrl replica, DumpRegistry registry, DumpLimits limits, Clock clock, AtomicLong rowsRead) {
        this.replica = replica;
        this.registry = registry;
        this.limits = limits;
        this.clock = clock;
        this.rowsRead = rowsRead;
    }

    void run(DumpCall<TableDumpResponse, TableDumpRequest> call) throws Exception {
        TableDumpRequest first = call.nextRequest();
        if (first == null || !first.hasStart()) {
            throw new DumpStopped(DumpStatus.invalid("the first request of a table dump must be start"));
        }
        TableDumpStart start = first.getStart();
        TableName table = DumpRequests.table(start.getSchema(), start.getTable());
        Duration wait = wait(start);
        Lsn minLsn = new Lsn(start.getMinLsn());
        try (DumpSession session = DumpSession.open(replica, call, rowsRead)) {
            awaitApplied(session, call, minLsn, wait);
            session.attach(registry.register(table, call, wait));
            DumpSession.Snapshot snapshot = session.begin(table);
            DumpSession.Table found = snapshot.table().orElseThrow(() -> new DumpStopped(DumpStatus.notFound(table)));
            if (snapshot.applied().compareTo(minLsn) < 0) {
                throw new DumpStopped(DumpStatus.behind(snapshot.applied(), minLsn)); // the replica went back (re-seeded)
            }
            TableDumpSnapshot.Builder header = TableDumpSnapshot.newBuilder()
                    .setLsn(snapshot.applied().value())
                    .setPages(found.pages());
            found.rowEstimate().ifPresent(header::setRowEstimate);
            call.send(TableDumpResponse.newBuilder().setSnapshot(header).build());
            TableDumpRequest request;
            while ((request = call.nextRequest()) != null) {
                Chunk chunk = chunk(request);
                long rows = session.copy(found, chunk, row -> call.send(TableDumpResponse.newBuilder().setChange(row).build()));
                call.send(TableDumpResponse.newBuilder().setChunkEnd(chunk.end(rows)).build());
            }
        }
    }

    private Duration wait(TableDumpStart start) throws DumpStopped {
        if (!start.hasWait()) {
            return limits.defaultWait();
        }
        Duration wait = Duration.ofSeconds(start.getWait().getSeconds(), start.getWait().getNanos());
        if (wait.isNegative() || wait.compareTo(limits.maxWait()) > 0) {
            throw new DumpStopped(DumpStatus.invalid("wait " + wait + " is not between 0 and the agent's maximum " + limits.maxWait()));
        }
        return wait;
    }

    private void awaitApplied(DumpSession session, DumpCall<?, ?> call, Lsn minLsn, Duration wait) throws Exception {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            Lsn applied = session.appliedLsn();
            if (applied.compareTo(minLsn) >= 0) {
                return;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new DumpStopped(DumpStatus.stillBehind(applied, minLsn, wait));
            }
            call.pause(limits.pollInterval());
        }
    }

    private static Chunk chunk(TableDumpRequest request) throws DumpStopped {
        return switch (request.getTypeCase()) {
            case CHUNK -> Chunk.Pages.fromWire(request.getChunk().getPageBegin(), request.getChunk().getPageEnd());
            case WHOLE -> new Chunk.Whole();
            case START -> throw new DumpStopped(DumpStatus.invalid("start was already sent; send chunk or whole, or half-close"));
            case TYPE_NOT_SET -> throw new DumpStopped(DumpStatus.invalid("a request sets none of start, chunk, whole"));
        };
    }
}
