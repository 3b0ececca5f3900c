package dev.pgcapture.gateway.dump;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.TableName;
import dev.pgcapture.core.grpc.GrpcServer;
import dev.pgcapture.proto.AgentDumpRequest;
import dev.pgcapture.proto.AgentGrpc;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DescribeTypesRequest;
import dev.pgcapture.proto.DescribeTypesResponse;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.TableDumpRequest;
import dev.pgcapture.proto.TableDumpResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SourceDumper} that reads dumps from a replica agent's {@code Agent} gRPC service:
 * {@link #dump} with pgcapture's {@code StreamDump}, {@link #table} with {@code TableDump} (every
 * chunk of a table in one snapshot), {@link #describeTypes} with {@code DescribeTypes}.
 *
 * <p><b>Memory.</b> Rows stream with client-side flow control: the agent may send at most
 * {@link Settings#bufferRows} rows that the reader has not taken, and one more is asked for as
 * each is taken. (Over an in-process channel the agent is then at most that far ahead; over
 * HTTP/2 the transport's flow-control window may hold some more.)
 *
 * <p><b>Threads.</b> Each {@link Dump} and {@link TableSnapshot} is read by one thread at a time;
 * gRPC delivers to them on its own threads. {@code close()} of a dump, a snapshot or this dumper
 * may come from any thread: it cancels what is unfinished, and a reader waiting in (or later
 * calling) {@code next()}, {@code table()} or {@code dump()} gets a
 * {@link java.util.concurrent.CancellationException} — never a {@code null} that would pass for
 * the end of a chunk.
 *
 * <p><b>Errors.</b> An agent's error status becomes an {@link io.grpc.StatusException} with the
 * same code and a description naming the call and the agent's reason; for table dumps see
 * {@link #table}. Waits are bounded by the agent ({@code start.wait} for a table dump); the
 * channel, owned by the caller and never shut down here, should detect a dead connection
 * (keepalive).
 */
public final class AgentDumper implements SourceDumper {

    /**
     * How the dumper calls the agent.
     *
     * @param tableWait how long the agent may wait, at the start of a table dump, for the replica
     *     to reach the caller's position ({@code TableDumpStart.wait}); at most the agent's maximum
     * @param bufferRows how many rows the agent may send ahead of the reader, per dump
     * @param maxInboundMessageSize the largest response accepted, in bytes (one row is one message)
     */
    public record Settings(Duration tableWait, int bufferRows, int maxInboundMessageSize) {

        public Settings {
            Objects.requireNonNull(tableWait, "tableWait");
            if (tableWait.isNegative()) {
                throw new IllegalArgumentException("tableWait must not be negative, was " + tableWait);
            }
            if (bufferRows < 1) {
                throw new IllegalArgumentException("bufferRows must be at least 1, was " + bufferRows);
            }
            if (maxInboundMessageSize < 1) {
                throw new IllegalArgumentException("maxInboundMessageSize must be positive, was " + maxInboundMessageSize);
            }
        }

        /** 30 s table wait, 32 rows ahead, messages up to {@link GrpcServer#DEFAULT_MAX_MESSAGE_BYTES}. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), 32, GrpcServer.DEFAULT_MAX_MESSAGE_BYTES);
        }

        public Settings withTableWait(Duration tableWait) {
            return new Settings(tableWait, bufferRows, maxInboundMessageSize);
        }

        public Settings withBufferRows(int bufferRows) {
            return new Settings(tableWait, bufferRows, maxInboundMessageSize);
        }

        public Settings withMaxInboundMessageSize(int maxInboundMessageSize) {
            return new Settings(tableWait, bufferRows, maxInboundMessageSize);
        }
    }

    private final Channel agent;
    private final Settings settings;
    private final CallOptions options;
    private final Set<AgentCall<?, ?>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param agent the channel to the agent; the caller owns it (closing this dumper leaves it open)
     */
    public AgentDumper(Channel agent, Settings settings) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.options = CallOptions.DEFAULT.withMaxInboundMessageSize(settings.maxInboundMessageSize());
    }

    /**
     * Opens one chunk with {@code StreamDump}, in a snapshot of its own, and waits until the
     * agent has taken it (its snapshot LSN has arrived). A table the replica does not have is an
     * empty dump, as pgcapture's agent answers.
     *
     * @throws io.grpc.StatusException the agent refused the dump (e.g. FAILED_PRECONDITION: the
     *     replica is behind {@code minLsn})
     */
    @Override
    public Dump dump(Lsn minLsn, DumpInfoResponse chunk) throws Exception {
        Objects.requireNonNull(minLsn, "minLsn");
        Objects.requireNonNull(chunk, "chunk");
        AgentCall<AgentDumpRequest, Change> call = start(AgentGrpc.getStreamDumpMethod(), settings.bufferRows());
        return ChunkStream.open(call, minLsn, chunk);
    }

    /**
     * Opens a {@code TableDump} of {@code table} and waits for its snapshot.
     *
     * @throws dev.pgcapture.core.NoSuchTableException the replica has no such table
     * @throws dev.pgcapture.core.DumpRedoException the replica did not reach {@code minLsn} within
     *     {@link Settings#tableWait} (the message names both LSNs), or the applier needed the
     *     table at once; {@link TableSnapshot#chunk} and the chunks' {@code next} throw it too when
     *     the applier needs the table later
     * @throws io.grpc.StatusException any other refusal of the agent
     */
    @Override
    public TableSnapshot table(Lsn minLsn, TableName table) throws Exception {
        Objects.requireNonNull(minLsn, "minLsn");
        Objects.requireNonNull(table, "table");
        AgentCall<TableDumpRequest, TableDumpResponse> call = start(AgentGrpc.getTableDumpMethod(), 1);
        return TableSession.open(call, minLsn, table, settings.tableWait(), settings.bufferRows());
    }

    /**
     * Describes types by the source's OIDs with the agent's {@code DescribeTypes}.
     *
     * @throws io.grpc.StatusException e.g. INVALID_ARGUMENT for no OIDs or too many
     */
    @Override
    public DescribeTypesResponse describeTypes(Iterable<Integer> oids) throws Exception {
        DescribeTypesRequest.Builder request = DescribeTypesRequest.newBuilder();
        oids.forEach(request::addOids);
        AgentCall<DescribeTypesRequest, DescribeTypesResponse> call = start(AgentGrpc.getDescribeTypesMethod(), 1);
        try {
            call.send(request.build());
            call.halfClose();
            DescribeTypesResponse response = switch (call.take()) {
                case AgentCall.Response<DescribeTypesResponse> r -> r.value();
                case AgentCall.End<DescribeTypesResponse> end -> throw AgentFailures.failure("DescribeTypes", end.status());
            };
            if (call.take() instanceof AgentCall.End<DescribeTypesResponse> end && !end.status().isOk()) {
                throw AgentFailures.failure("DescribeTypes", end.status());
            }
            return response;
        } finally {
            call.cancel("DescribeTypes is over");
        }
    }

    /** Calls open now (dumps, table dumps, type descriptions not yet ended). */
    int openCalls() {
        return open.size();
    }

    /** Cancels every call still open, and refuses new ones; leaves the channel open. */
    @Override
    public void close() {
        closed = true;
        for (AgentCall<?, ?> call : open) {
            call.cancel("the dumper was closed");
        }
    }

    private <Q, A> AgentCall<Q, A> start(MethodDescriptor<Q, A> method, int responses) {
        AgentCall<Q, A> call = AgentCall.create(open::remove);
        open.add(call);
        if (closed) {
            open.remove(call);
            throw new IllegalStateException("the dumper is closed");
        }
        call.start(agent, method, options, responses);
        return call;
    }
}
