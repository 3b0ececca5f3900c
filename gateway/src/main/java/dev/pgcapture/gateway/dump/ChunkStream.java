package dev.pgcapture.gateway.dump;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.AgentDumpRequest;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.core.grpc.SnapshotLsnHeader;
import io.grpc.Metadata;

/**
 * One chunk read with pgcapture's {@code StreamDump}: in a snapshot of its own, whose LSN the
 * agent sends in the response header {@value #HEADER} (in the trailers when the chunk is empty).
 * Rows are asked for one by one as they are taken, so at most the row buffer is ahead of the
 * reader. Used by one reader thread; {@link #close} may come from any thread.
 */
final class ChunkStream implements SourceDumper.Dump {

    static final String HEADER = SnapshotLsnHeader.NAME;
    private static final Metadata.Key<String> KEY = SnapshotLsnHeader.KEY;

    private final AgentCall<AgentDumpRequest, Change> call;
    private final String what;
    private final Lsn snapshotLsn;
    private boolean done;

    private ChunkStream(AgentCall<AgentDumpRequest, Change> call, String what, Lsn snapshotLsn) {
        this.call = call;
        this.what = what;
        this.snapshotLsn = snapshotLsn;
    }

    /**
     * Sends the request on a started {@code call} and waits for the snapshot LSN. An agent that
     * sends none (pgcapture's own) is taken at its word that the snapshot is at least
     * {@code minLsn}, which it checks.
     */
    static ChunkStream open(AgentCall<AgentDumpRequest, Change> call, Lsn minLsn, DumpInfoResponse chunk) throws Exception {
        String what = "StreamDump of " + TableName.quoteIdentifier(chunk.getSchema()) + "." + TableName.quoteIdentifier(chunk.getTable())
                + " pages " + Integer.toUnsignedString(chunk.getPageBegin()) + ".." + Integer.toUnsignedString(chunk.getPageEnd());
        try {
            call.send(AgentDumpRequest.newBuilder().setMinLsn(minLsn.value()).setInfo(chunk).build());
            call.halfClose();
            Metadata metadata = call.awaitHeaders();
            if (metadata == null) {
                AgentCall.End<Change> end = call.end();
                if (!end.status().isOk()) {
                    throw AgentFailures.failure(what, end.status());
                }
                metadata = end.trailers();
            }
            String header = metadata.get(KEY);
            return new ChunkStream(call, what, header == null ? minLsn : parse(what, header));
        } catch (Exception | Error e) {
            call.cancel("the dump failed to start");
            throw e;
        }
    }

    private static Lsn parse(String what, String header) {
        try {
            return Lsn.parse(header);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(what + ": the agent sent an invalid " + HEADER + " header: " + e.getMessage(), e);
        }
    }

    @Override
    public Lsn snapshotLsn() {
        return snapshotLsn;
    }

    /**
     * The next row, or null after the last.
     *
     * @throws io.grpc.StatusException when the agent ended the dump with an error
     * @throws java.util.concurrent.CancellationException when the dump was closed (from any thread)
     */
    @Override
    public Change next() throws Exception {
        if (done) {
            return null;
        }
        return switch (call.take()) {
            case AgentCall.Response<Change> row -> {
                call.request(1);
                yield row.value();
            }
            case AgentCall.End<Change> end -> {
                if (!end.status().isOk()) {
                    throw AgentFailures.failure(what, end.status());
                }
                done = true;
                yield null;
            }
        };
    }

    /** Rows received and not taken yet. */
    int buffered() {
        return call.buffered();
    }

    /**
     * Cancels the call (nothing, if it has ended); a {@link #next} waiting or to come then throws
     * CancellationException, unless the dump had already returned its end.
     */
    @Override
    public void close() {
        call.cancel(what + " was closed");
    }
}
