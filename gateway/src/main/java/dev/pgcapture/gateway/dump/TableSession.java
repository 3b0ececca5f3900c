package dev.pgcapture.gateway.dump;

import com.google.protobuf.Duration;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.ChunkEnd;
import dev.pgcapture.proto.PageRange;
import dev.pgcapture.proto.TableDumpRequest;
import dev.pgcapture.proto.TableDumpResponse;
import dev.pgcapture.proto.TableDumpSnapshot;
import dev.pgcapture.proto.TableDumpStart;
import java.util.concurrent.CancellationException;

/**
 * The caller's side of one {@code TableDump} call: {@code start}, the {@code snapshot}, then one
 * {@code chunk} at a time, each read to its {@code chunk_end}; closing half-closes, which ends
 * the agent's transaction.
 *
 * <p>Flow control: the agent may send at most {@code bufferRows} responses that the reader has
 * not taken; one more is asked for as each row is taken, so a chunk streams and never has to
 * fit in memory.
 *
 * <p>Used by one reader thread (the one calling {@link #chunk} and the chunks' {@code next}).
 * {@link #close} may come from any thread: with a chunk unfinished it cancels the call, and a
 * {@code next} waiting or to come throws {@link CancellationException}.
 */
final class TableSession implements SourceDumper.TableSnapshot {

    private final AgentCall<TableDumpRequest, TableDumpResponse> call;
    private final TableName table;
    private final int bufferRows;
    private final Lsn snapshotLsn;
    private final long pages;
    private int credit; // responses asked for and not taken yet; reader thread only
    private volatile Rows chunk; // the chunk opened last
    private volatile boolean closed;

    private TableSession(AgentCall<TableDumpRequest, TableDumpResponse> call, TableName table, int bufferRows, TableDumpSnapshot snapshot) {
        this.call = call;
        this.table = table;
        this.bufferRows = bufferRows;
        this.snapshotLsn = new Lsn(snapshot.getLsn());
        this.pages = snapshot.getPages();
    }

    /**
     * Sends {@code start} on a started {@code call} that asked for one response, and waits for
     * the snapshot. Any failure cancels the call.
     */
    static TableSession open(AgentCall<TableDumpRequest, TableDumpResponse> call, Lsn minLsn, TableName table, java.time.Duration wait,
            int bufferRows) throws Exception {
        try {
            call.send(TableDumpRequest.newBuilder().setStart(TableDumpStart.newBuilder()
                    .setMinLsn(minLsn.value())
                    .setSchema(table.schema())
                    .setTable(table.table())
                    .setWait(Duration.newBuilder().setSeconds(wait.getSeconds()).setNanos(wait.getNano()))).build());
            TableDumpResponse first = switch (call.take()) {
                case AgentCall.Response<TableDumpResponse> response -> response.value();
                case AgentCall.End<TableDumpResponse> end -> throw end.status().isOk()
                        ? new IllegalStateException("table dump of " + table + ": the agent ended the call without a snapshot")
                        : AgentFailures.tableFailure(table, end.status());
            };
            if (!first.hasSnapshot()) {
                throw new IllegalStateException("table dump of " + table + ": the agent answered " + first.getTypeCase() + " before the snapshot");
            }
            Lsn lsn = new Lsn(first.getSnapshot().getLsn());
            if (lsn.isBefore(minLsn)) {
                throw new IllegalStateException("table dump of " + table + ": the agent's snapshot " + lsn + " is before the requested " + minLsn);
            }
            return new TableSession(call, table, bufferRows, first.getSnapshot());
        } catch (Exception | Error e) {
            call.cancel("the table dump of " + table + " failed to start");
            throw e;
        }
    }

    @Override
    public Lsn snapshotLsn() {
        return snapshotLsn;
    }

    @Override
    public long pages() {
        return pages;
    }

    /**
     * Asks for pages {@code pageBegin..pageEnd} (unsigned, both included).
     *
     * @throws IllegalStateException while the chunk opened before is unfinished, or once this snapshot is closed
     * @throws dev.pgcapture.core.DumpRedoException when the agent has already ended the dump with "redo"
     */
    @Override
    public SourceDumper.Dump chunk(int pageBegin, int pageEnd) throws Exception {
        if (Integer.compareUnsigned(pageBegin, pageEnd) > 0) {
            throw new IllegalArgumentException("page " + Integer.toUnsignedString(pageBegin) + " is after page " + Integer.toUnsignedString(pageEnd));
        }
        Rows previous = chunk;
        if (previous != null && !previous.finished) {
            throw new IllegalStateException("chunk " + previous.describe() + " of " + table
                    + " is not read to its end: finish it before asking for another (closing it ends the table dump)");
        }
        if (closed) {
            throw new IllegalStateException("the table dump of " + table + " is closed");
        }
        AgentCall.End<TableDumpResponse> end = call.end();
        if (end != null && call.buffered() == 0) {
            throw ended(end, "before chunk " + new Rows(pageBegin, pageEnd).describe() + " was asked for");
        }
        Rows rows = new Rows(pageBegin, pageEnd);
        chunk = rows;
        call.send(TableDumpRequest.newBuilder().setChunk(PageRange.newBuilder().setPageBegin(pageBegin).setPageEnd(pageEnd)).build());
        if (credit < bufferRows) {
            call.request(bufferRows - credit);
            credit = bufferRows;
        }
        return rows;
    }

    /** Responses received and not taken yet. */
    int buffered() {
        return call.buffered();
    }

    /**
     * Half-closes, so that the agent ends its transaction; cancels the call instead when a chunk
     * is unfinished. Again: nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Rows open = chunk;
        if (open != null && !open.finished) {
            call.cancel("the table dump of " + table + " was closed in the middle of chunk " + open.describe());
        } else {
            call.halfClose();
        }
    }

    private Exception ended(AgentCall.End<TableDumpResponse> end, String when) {
        return end.status().isOk()
                ? new IllegalStateException("table dump of " + table + ": the agent ended the call " + when)
                : AgentFailures.tableFailure(table, end.status());
    }

    /** The rows of one chunk, up to its {@code chunk_end}. */
    private final class Rows implements SourceDumper.Dump {

        private final int pageBegin;
        private final int pageEnd;
        private long rows;
        private volatile boolean finished;

        Rows(int pageBegin, int pageEnd) {
            this.pageBegin = pageBegin;
            this.pageEnd = pageEnd;
        }

        @Override
        public Lsn snapshotLsn() {
            return snapshotLsn;
        }

        /**
         * The next row, or null after the chunk's last.
         *
         * @throws dev.pgcapture.core.DumpRedoException the applier needed the table: redo it whole
         * @throws CancellationException the table dump was closed (from any thread)
         */
        @Override
        public Change next() throws Exception {
            if (finished) {
                return null;
            }
            AgentCall.Event<TableDumpResponse> event = call.take();
            if (event instanceof AgentCall.End<TableDumpResponse> end) {
                throw ended(end, "in the middle of chunk " + describe());
            }
            credit--;
            TableDumpResponse response = ((AgentCall.Response<TableDumpResponse>) event).value();
            switch (response.getTypeCase()) {
                case CHANGE -> {
                    rows++;
                    call.request(1);
                    credit++;
                    return response.getChange();
                }
                case CHUNK_END -> {
                    check(response.getChunkEnd());
                    finished = true;
                    return null;
                }
                default -> throw new IllegalStateException("table dump of " + table + ": the agent sent " + response.getTypeCase()
                        + " in the middle of chunk " + describe());
            }
        }

        private void check(ChunkEnd end) {
            boolean same = end.hasPages() && end.getPages().getPageBegin() == pageBegin && end.getPages().getPageEnd() == pageEnd;
            if (!same || end.getRows() != rows) {
                throw new IllegalStateException("table dump of " + table + ": chunk " + describe() + " ended with " + end.toString().strip()
                        .replace('\n', ' ') + " after " + rows + " rows");
            }
        }

        String describe() {
            return "pages " + Integer.toUnsignedString(pageBegin) + ".." + Integer.toUnsignedString(pageEnd);
        }

        /** Nothing once the chunk is read to its end; before, it ends the whole table dump (the agent cannot skip the rest). */
        @Override
        public void close() {
            if (!finished) {
                TableSession.this.close();
            }
        }
    }
}
