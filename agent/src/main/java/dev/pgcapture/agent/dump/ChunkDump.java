package dev.pgcapture.agent.dump;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.AgentDumpRequest;
import dev.pgcapture.proto.DumpInfoResponse;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * pgcapture's dump of one page range ({@code StreamDump}, {@code Dump}): its own snapshot, no
 * waiting; FAILED_PRECONDITION when the replica is behind {@code min_lsn}; an empty result for a
 * table that does not exist.
 */
final class ChunkDump {

    private final PostgresUrl replica;
    private final DumpRegistry registry;
    private final DumpLimits limits;
    private final AtomicLong rowsRead;

    ChunkDump(PostgresUrl replica, DumpRegistry registry, DumpLimits limits, AtomicLong rowsRead) {
        this.replica = replica;
        this.registry = registry;
        this.limits = limits;
        this.rowsRead = rowsRead;
    }

    /**
     * Reads the chunk {@code request} names into {@code sink}, after handing the snapshot's LSN
     * to {@code snapshotLsn}.
     */
    void run(AgentDumpRequest request, DumpCall<?, ?> call, Consumer<Lsn> snapshotLsn, RowSink sink) throws Exception {
        if (!request.hasInfo()) {
            throw new DumpStopped(DumpStatus.invalid("the request has no info (schema, table, page_begin, page_end)"));
        }
        DumpInfoResponse info = request.getInfo();
        TableName table = DumpRequests.table(info.getSchema(), info.getTable());
        Chunk.Pages pages = Chunk.Pages.fromWire(info.getPageBegin(), info.getPageEnd());
        Lsn minLsn = new Lsn(request.getMinLsn());
        try (DumpSession session = DumpSession.open(replica, call, rowsRead)) {
            session.attach(registry.register(table, call, limits.defaultWait()));
            DumpSession.Snapshot snapshot = session.begin(table);
            if (snapshot.applied().compareTo(minLsn) < 0) {
                throw new DumpStopped(DumpStatus.behind(snapshot.applied(), minLsn));
            }
            snapshotLsn.accept(snapshot.applied());
            if (snapshot.table().isPresent()) {
                session.copy(snapshot.table().get(), pages, sink);
            }
        }
    }
}
