package dev.pgcapture.gateway;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DumpRedoException;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.NoSuchTableException;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.DumpInfoResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact-mode dumps: a table at a time, merged into the live stream at the exact LSN of one
 * snapshot.
 *
 * <p>When the controller hands the first chunk of a table (it hands a table's chunks to one
 * stream, one after another), the live stream pauses at {@code P}: the commit LSN of the last
 * change delivered, or the topic's head if that is later (an earlier consumer on the
 * subscription may have seen up to there). The dumper opens the table's snapshot at
 * {@code L >= P}. The changes with commit LSN {@code <= L} still to come are delivered first;
 * the first later message is held back. Then every chunk's rows are read in that one snapshot
 * and delivered, a chunk acknowledged to the controller once the client has acknowledged all
 * its rows, which brings the next chunk. After the last one is acknowledged, the snapshot is
 * closed and the live stream resumes with the held-back message. So every row of the table
 * arrives once, as of {@code L}, after every change up to {@code L} and before every change
 * after it: the client never sees a row go back in time.
 *
 * <p>The changes up to {@code L} are all delivered once the source has gone past the topic's
 * head read after the snapshot (everything up to {@code L} was in the topic then), or has
 * shown a later change, or has had nothing more to deliver for {@code catchUpQuiet} (the head
 * may be a message the subscription acknowledged before this stream began).
 *
 * <p>A redo ({@link DumpRedoException}: the replica needed the table exclusively) or any other
 * failure to read requeues the chunk in hand with the reason, which makes the controller start
 * the table again, whole, on a fresh snapshot; a missing table acknowledges it with no rows.
 * Either way the live stream resumes. Rows already delivered stay delivered; they were as of
 * {@code L}, before the changes that follow.
 */
final class ExactDumps implements DumpDelivery {

    private static final Logger log = LoggerFactory.getLogger(ExactDumps.class);

    private enum Phase { CATCH_UP, ROWS }

    private final Delivery delivery;
    private final SourceDumper dumper;
    private final DumpPuller puller;
    private DumpInfoResponse pending;
    private Long ackRows;
    private boolean ackEndsTable;
    private long lease;

    private TableName table;
    private SourceDumper.TableSnapshot snapshot;
    private Lsn snapshotLsn;
    private Optional<Checkpoint> head;
    private Phase phase;
    private DumpInfoResponse toOpen;
    private ChunkRows chunk;
    private Instant quietSince;
    private String abandonReason;
    private long tableRows;
    private Instant tableStarted;

    ExactDumps(Delivery delivery, SourceDumper dumper, DumpPuller puller) {
        this.delivery = delivery;
        this.dumper = dumper;
        this.puller = puller;
    }

    @Override
    public Step step() {
        if (ackRows != null) {
            puller.ack(ackRows);
            ackRows = null;
            if (ackEndsTable) {
                log.info("capture stream {} of URI \"{}\": table {} delivered as of {}: {} rows in {} ms", delivery.id, delivery.uri,
                        table, snapshotLsn, tableRows, Duration.between(tableStarted, delivery.now()).toMillis());
                endTable();
            }
            return Step.PROGRESS;
        }
        if (snapshot == null) {
            if (pending != null && delivery.source.active()) {
                DumpInfoResponse first = pending;
                pending = null;
                startTable(first);
                return Step.PROGRESS;
            }
            return Step.LIVE;
        }
        if (abandonReason != null) {
            if (puller.inHand() == null) {
                return Step.IDLE; // the table's next chunk comes, to be requeued
            }
            puller.requeue(abandonReason);
            pending = null;
            endTable();
            return Step.PROGRESS;
        }
        return phase == Phase.CATCH_UP ? catchUp() : rows();
    }

    private void startTable(DumpInfoResponse first) {
        TableName name;
        try {
            name = new TableName(first.getSchema(), first.getTable());
        } catch (IllegalArgumentException e) {
            log.error("capture stream {} of URI \"{}\": the controller handed a chunk without a table name: {}", delivery.id,
                    delivery.uri, first);
            puller.ack(0);
            return;
        }
        if (!delivery.passes(first.getTable())) {
            puller.ack(0);
            return;
        }
        Lsn pause = delivery.lastDeliveredLsn();
        try {
            Optional<Checkpoint> topicHead = delivery.source.head();
            if (topicHead.isPresent() && topicHead.get().lsn().isAfter(pause)) {
                pause = topicHead.get().lsn();
            }
            snapshot = dumper.table(pause, name);
            snapshotLsn = snapshot.snapshotLsn();
            head = delivery.source.head();
        } catch (Exception e) {
            if (snapshot != null) {
                snapshot.close();
                snapshot = null;
            }
            failed(name, e);
            return;
        }
        table = name;
        phase = Phase.CATCH_UP;
        toOpen = first;
        quietSince = null;
        tableRows = 0;
        tableStarted = delivery.now();
        lease++;
        log.info("capture stream {} of URI \"{}\": dumping table {} ({} pages): paused at {}, snapshot at {}", delivery.id,
                delivery.uri, name, snapshot.pages(), pause, snapshotLsn);
    }

    /** Answers the chunk in hand after a failure: no rows for a missing table, else a requeue (a redo of the table). */
    private void failed(TableName name, Exception e) {
        if (e instanceof NoSuchTableException) {
            log.info("capture stream {} of URI \"{}\": {}; the chunk is acknowledged with no rows", delivery.id, delivery.uri,
                    e.getMessage());
            puller.ack(0);
            return;
        }
        String reason = e instanceof DumpRedoException ? "redo: " + e.getMessage() : "redo: dumping " + name + " failed: " + e;
        log.warn("capture stream {} of URI \"{}\": {}", delivery.id, delivery.uri, reason);
        puller.requeue(reason);
    }

    private Step catchUp() {
        if (!delivery.hasHeldBack() && (head.isEmpty() || !head.get().isAfter(delivery.lastRead()))) {
            phase = Phase.ROWS;
            return Step.PROGRESS;
        }
        SourceMessage message = delivery.readSource(delivery.settings.sourcePoll());
        if (message == null) {
            Instant now = delivery.now();
            if (quietSince == null) {
                quietSince = now;
            } else if (!now.isBefore(quietSince.plus(delivery.settings.catchUpQuiet()))) {
                phase = Phase.ROWS;
            }
            return Step.PROGRESS;
        }
        quietSince = null;
        if (message.checkpoint().lsn().isAfter(snapshotLsn)) {
            delivery.holdBack(message);
            phase = Phase.ROWS;
            return Step.PROGRESS;
        }
        delivery.deliverLive(message);
        return Step.PROGRESS;
    }

    private Step rows() {
        if (chunk == null) {
            if (toOpen == null) {
                if (pending == null) {
                    return Step.IDLE; // the controller sends the table's next chunk
                }
                DumpInfoResponse next = pending;
                pending = null;
                if (!next.getSchema().equals(table.schema()) || !next.getTable().equals(table.table())) {
                    log.warn("capture stream {} of URI \"{}\": the controller handed {}.{} before the last chunk of {}; that table"
                            + " is left to the controller", delivery.id, delivery.uri, next.getSchema(), next.getTable(), table);
                    endTable();
                    pending = next;
                    return Step.PROGRESS;
                }
                toOpen = next;
            }
            try {
                chunk = new ChunkRows(delivery.newChunkId(), lease, toOpen, snapshot.chunk(toOpen.getPageBegin(), toOpen.getPageEnd()));
            } catch (Exception e) {
                failed(table, e);
                endTable();
                return Step.PROGRESS;
            }
            toOpen = null;
        }
        if (chunk.readDone()) {
            return Step.IDLE; // the client acknowledges the rows
        }
        ChunkRows.Row row;
        try {
            row = chunk.next();
        } catch (Exception e) {
            failed(table, e);
            endTable();
            return Step.PROGRESS;
        }
        if (row != null) {
            delivery.sendRow(chunk, row);
            tableRows++;
        }
        checkComplete();
        return Step.PROGRESS;
    }

    private void checkComplete() {
        if (chunk != null && chunk.complete()) {
            ackRows = (long) chunk.sent;
            ackEndsTable = chunk.info.getLastOfTable();
            chunk = null;
        }
    }

    private void endTable() {
        if (chunk != null) {
            chunk.close();
        }
        if (snapshot != null) {
            snapshot.close();
        }
        snapshot = null;
        table = null;
        chunk = null;
        toOpen = null;
        phase = null;
        abandonReason = null;
        ackRows = null;
    }

    @Override
    public Duration livePoll(Duration normal) {
        return normal;
    }

    @Override
    public void chunkArrived(DumpInfoResponse chunk) {
        pending = chunk;
    }

    @Override
    public void rowAcked(ChunkRows acked) {
        if (acked == chunk) {
            checkComplete();
        }
    }

    @Override
    public void rowRequeued(Entry row, String reason) {
        throw new IllegalStateException("exact mode retries rows in place");
    }

    @Override
    public void rowGivenUp(Entry row, String reason) {
        if (snapshot != null && row.chunk.lease == lease && abandonReason == null) {
            abandonReason = "gave up on a row of " + table + ": " + reason;
            if (chunk != null) {
                chunk.close();
                chunk = null;
            }
            toOpen = null;
            ackRows = null;
        }
    }

    @Override
    public void pullLost() {
        pending = null;
        if (snapshot != null) {
            log.info("capture stream {} of URI \"{}\": table {} is abandoned with the controller stream; the controller"
                    + " restarts it", delivery.id, delivery.uri, table);
            endTable();
        }
        ackRows = null;
    }

    @Override
    public void close() {
        if (snapshot != null) {
            endTable();
        }
    }

    @Override
    public long bytes() {
        return chunk == null ? 0 : chunk.bytes();
    }
}
