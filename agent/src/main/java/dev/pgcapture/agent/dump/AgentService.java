package dev.pgcapture.agent.dump;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.AgentConfigRequest;
import dev.pgcapture.proto.AgentConfigResponse;
import dev.pgcapture.proto.AgentDumpRequest;
import dev.pgcapture.proto.AgentDumpResponse;
import dev.pgcapture.proto.AgentGrpc;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DescribeTypesRequest;
import dev.pgcapture.proto.DescribeTypesResponse;
import dev.pgcapture.proto.TableDumpRequest;
import dev.pgcapture.proto.TableDumpResponse;
import dev.pgcapture.proto.TableInfoRequest;
import dev.pgcapture.proto.TableInfoResponse;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Agent} gRPC service of a replica agent: dumps of the logical replica, and its status.
 *
 * <ul>
 *   <li>{@code StreamDump} / {@code Dump}: one page range in a snapshot of its own, as pgcapture
 *       serves it; the snapshot's applied source LSN travels in the response header
 *       {@code pgcapture-snapshot-lsn} (and in {@code AgentDumpResponse.snapshot_lsn}).</li>
 *   <li>{@code TableDump}: every chunk of one table in one snapshot taken once the replica has
 *       applied the caller's position.</li>
 *   <li>{@code TableInfo}: a table's size, to plan chunks. {@code Configure}: a status report.</li>
 *   <li>{@code DescribeTypes}: types by the source's OIDs, from the replica's catalog
 *       ({@link TypeCatalog}).</li>
 * </ul>
 *
 * <p>Each dump runs on a worker thread of a bounded pool with its own replica connection, sends
 * rows only as fast as the caller reads them, and registers with the {@link DumpRegistry}, so
 * that the applier can cancel it (status ABORTED: redo the table) instead of waiting for it.
 */
public final class AgentService implements AgentGrpc.AsyncService, BindableService, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentService.class);

    private final PostgresUrl replica;
    private final Clock clock;
    private final DumpLimits limits;
    private final DumpRegistry registry;
    private final ThreadPoolExecutor workers;
    private final Set<DumpCall<?, ?>> calls = ConcurrentHashMap.newKeySet();
    private final AtomicLong rowsRead = new AtomicLong();
    private final ChunkDump chunkDump;
    private final TableDump tableDump;

    /**
     * @param replica the replica database dumps read
     * @param clock the time the status report and waits are measured with
     * @param registry the interlock the applier of this replica uses
     */
    public AgentService(PostgresUrl replica, Clock clock, DumpLimits limits, DumpRegistry registry) {
        this.replica = Objects.requireNonNull(replica, "replica");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.registry = Objects.requireNonNull(registry, "registry");
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, limits.maxConcurrentDumps(), 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "agent-dump-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.chunkDump = new ChunkDump(replica, registry, limits, rowsRead);
        this.tableDump = new TableDump(replica, registry, limits, clock, rowsRead);
    }

    /**
     * The service with the interceptor that sends {@code pgcapture-snapshot-lsn}. (It implements
     * {@code AgentGrpc.AsyncService} rather than extending {@code AgentImplBase}, whose
     * {@code bindService} is final and could not add the interceptor.)
     */
    @Override
    public ServerServiceDefinition bindService() {
        return ServerInterceptors.intercept(AgentGrpc.bindService(this), new SnapshotLsnHeader());
    }

    @Override
    public void streamDump(AgentDumpRequest request, StreamObserver<Change> responseObserver) {
        DumpCall<Change, Void> call = new DumpCall<>((ServerCallStreamObserver<Change>) responseObserver);
        AtomicReference<Lsn> header = SnapshotLsnHeader.slot();
        start(call, () -> chunkDump.run(request, call, header::set, call::send));
    }

    @Override
    public void dump(AgentDumpRequest request, StreamObserver<AgentDumpResponse> responseObserver) {
        ServerCallStreamObserver<AgentDumpResponse> observer = (ServerCallStreamObserver<AgentDumpResponse>) responseObserver;
        DumpCall<AgentDumpResponse, Void> call = new DumpCall<>(observer);
        AtomicReference<Lsn> header = SnapshotLsnHeader.slot();
        start(call, () -> {
            AgentDumpResponse.Builder response = AgentDumpResponse.newBuilder();
            long[] bytes = {0};
            chunkDump.run(request, call, lsn -> {
                header.set(lsn);
                response.setSnapshotLsn(lsn.value());
            }, row -> {
                call.checkActive();
                bytes[0] += row.getSerializedSize();
                if (bytes[0] > limits.maxUnaryBytes()) {
                    throw new DumpStopped(Status.RESOURCE_EXHAUSTED.withDescription("the chunk is larger than "
                            + limits.maxUnaryBytes() + " bytes, the agent's limit for a Dump response: read it with StreamDump or in smaller chunks"));
                }
                response.addChange(row);
            });
            call.send(response.build());
        });
    }

    @Override
    public StreamObserver<TableDumpRequest> tableDump(StreamObserver<TableDumpResponse> responseObserver) {
        ServerCallStreamObserver<TableDumpResponse> observer = (ServerCallStreamObserver<TableDumpResponse>) responseObserver;
        observer.disableAutoRequest();
        DumpCall<TableDumpResponse, TableDumpRequest> call = new DumpCall<>(observer);
        StreamObserver<TableDumpRequest> requests = call.requestObserver();
        start(call, () -> tableDump.run(call));
        return requests;
    }

    @Override
    public void tableInfo(TableInfoRequest request, StreamObserver<TableInfoResponse> responseObserver) {
        ServerCallStreamObserver<TableInfoResponse> observer = (ServerCallStreamObserver<TableInfoResponse>) responseObserver;
        DumpCall<TableInfoResponse, Void> call = new DumpCall<>(observer);
        start(call, () -> {
            TableName table = DumpRequests.table(request.getSchema(), request.getTable());
            TableInfoResponse.Builder info = TableInfoResponse.newBuilder();
            try (DumpSession session = DumpSession.open(replica, call, rowsRead)) {
                session.attach(registry.register(table, call, limits.defaultWait())); // it locks the table too, briefly
                DumpSession.Snapshot snapshot = session.begin(table);
                info.setAppliedLsn(snapshot.applied().value()).setExists(snapshot.table().isPresent());
                snapshot.table().ifPresent(t -> {
                    info.setPages(t.pages());
                    t.rowEstimate().ifPresent(info::setRowEstimate);
                });
            }
            call.send(info.build());
        });
    }

    @Override
    public void describeTypes(DescribeTypesRequest request, StreamObserver<DescribeTypesResponse> responseObserver) {
        DumpCall<DescribeTypesResponse, Void> call = new DumpCall<>((ServerCallStreamObserver<DescribeTypesResponse>) responseObserver);
        start(call, () -> {
            try (Connection c = replica.connect()) {
                call.send(TypeCatalog.describe(c, request.getOidsList()));
            }
        });
    }

    @Override
    public void configure(AgentConfigRequest request, StreamObserver<AgentConfigResponse> responseObserver) {
        ServerCallStreamObserver<AgentConfigResponse> observer = (ServerCallStreamObserver<AgentConfigResponse>) responseObserver;
        DumpCall<AgentConfigResponse, Void> call = new DumpCall<>(observer);
        start(call, () -> {
            var report = com.google.protobuf.Struct.newBuilder();
            try (Connection c = replica.connect()) {
                report.mergeFrom(StatusReport.read(c, clock.instant(), registry.activeDumps()));
            }
            if (request.hasParameters() && request.getParameters().getFieldsCount() > 0) {
                report.putFields("note", com.google.protobuf.Value.newBuilder().setStringValue(
                        "parameters ignored: this agent is configured when it starts (pgcapture pulsar2pg)").build());
            }
            call.send(AgentConfigResponse.newBuilder().setReport(report).build());
        });
    }

    /** Rows read from the replica by every dump so far; with {@link #dumpsWaitingForReader} it shows how far dumps read ahead of their callers. */
    public long rowsRead() {
        return rowsRead.get();
    }

    /** Dumps now waiting for their caller to read (flow control). */
    public int dumpsWaitingForReader() {
        return (int) calls.stream().filter(DumpCall::waitingForReader).count();
    }

    /** What a worker runs; every exception ends the call with a status. */
    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private void start(DumpCall<?, ?> call, Work work) {
        try {
            workers.execute(() -> run(call, work));
        } catch (RejectedExecutionException e) {
            call.fail(Status.RESOURCE_EXHAUSTED.withDescription(limits.maxConcurrentDumps()
                    + " dumps are already running on this agent, its limit; try again later"));
        }
    }

    private void run(DumpCall<?, ?> call, Work work) {
        calls.add(call);
        try {
            work.run();
            call.complete();
        } catch (DumpStopped e) {
            call.fail(e.status());
        } catch (InterruptedException e) {
            call.fail(Status.UNAVAILABLE.withDescription("the agent is shutting down"));
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Status stopped = call.stopStatus();
            if (stopped != null) {
                call.fail(stopped);
            } else {
                log.warn("a dump failed", e);
                call.fail(failure(e));
            }
        } finally {
            calls.remove(call);
        }
    }

    private static Status failure(Exception e) {
        if (e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            return Status.UNAVAILABLE.withDescription("the replica is unreachable: " + e.getMessage()).withCause(e);
        }
        return Status.INTERNAL.withDescription("dump failed on the replica: " + e.getMessage()).withCause(e);
    }

    /** Ends every dump (UNAVAILABLE) and waits a bounded time for their workers. */
    @Override
    public void close() throws InterruptedException {
        for (DumpCall<?, ?> call : calls) {
            call.abort(Status.UNAVAILABLE.withDescription("the agent is shutting down"));
        }
        workers.shutdown();
        if (!workers.awaitTermination(limits.cancelGrace().toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("{} dump workers still running {} after shutdown", workers.getActiveCount(), limits.cancelGrace());
        }
    }
}
