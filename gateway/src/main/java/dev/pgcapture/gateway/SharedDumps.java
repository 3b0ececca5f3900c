package dev.pgcapture.gateway;

import dev.pgcapture.core.NoSuchTableException;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.proto.DumpInfoResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgcapture's dumps, for shared mode: each chunk is read in its own snapshot, no older than the
 * last change delivered to this client, and its rows go out interleaved with the live stream,
 * one row, then one live read, in turn.
 *
 * <p>A chunk is acknowledged to the controller, with its row count, once the client has
 * acknowledged every row (an empty chunk at once, a chunk of a table the client filters out
 * without reading it); it is requeued when the client requeues any of its rows, when reading it
 * fails, or when the client leaves. Rows of a requeued chunk that are still unacknowledged are
 * forgotten: their acknowledgements are absorbed.
 */
final class SharedDumps implements DumpDelivery {

    private static final Logger log = LoggerFactory.getLogger(SharedDumps.class);

    private final Delivery delivery;
    private final SourceDumper dumper;
    private final DumpPuller puller;
    private DumpInfoResponse pending;
    private ChunkRows current;
    private Long ackRows;
    private String requeueReason;
    private boolean dumpTurn = true;

    SharedDumps(Delivery delivery, SourceDumper dumper, DumpPuller puller) {
        this.delivery = delivery;
        this.dumper = dumper;
        this.puller = puller;
    }

    @Override
    public Step step() {
        if (ackRows != null) {
            puller.ack(ackRows);
            ackRows = null;
            return Step.PROGRESS;
        }
        if (requeueReason != null) {
            puller.requeue(requeueReason);
            requeueReason = null;
            return Step.PROGRESS;
        }
        if (current == null && pending != null) {
            DumpInfoResponse chunk = pending;
            pending = null;
            start(chunk);
            return Step.PROGRESS;
        }
        if (current != null && !current.readDone() && dumpTurn) {
            dumpTurn = false;
            sendNextRow();
            return Step.PROGRESS;
        }
        dumpTurn = true;
        return Step.LIVE;
    }

    private void start(DumpInfoResponse chunk) {
        if (!delivery.passes(chunk.getTable())) {
            puller.ack(0);
            return;
        }
        SourceDumper.Dump dump;
        try {
            dump = dumper.dump(delivery.lastDeliveredLsn(), chunk);
        } catch (NoSuchTableException e) {
            log.info("capture stream {} of URI \"{}\": {}; chunk acknowledged with no rows", delivery.id, delivery.uri, e.getMessage());
            puller.ack(0);
            return;
        } catch (Exception e) {
            log.warn("capture stream {} of URI \"{}\": dumping {} failed: {}", delivery.id, delivery.uri, chunk, e.toString());
            puller.requeue("dump failed: " + e.getMessage());
            return;
        }
        current = new ChunkRows(delivery.newChunkId(), 0, chunk, dump);
        sendNextRow();
    }

    private void sendNextRow() {
        ChunkRows chunk = current;
        ChunkRows.Row row;
        try {
            row = chunk.next();
        } catch (Exception e) {
            log.warn("capture stream {} of URI \"{}\": reading {} failed: {}", delivery.id, delivery.uri, chunk.describe(), e.toString());
            abandon(chunk, "dump failed: " + e.getMessage());
            return;
        }
        if (row != null) {
            delivery.sendRow(chunk, row);
        }
        checkComplete();
    }

    private void checkComplete() {
        if (current != null && current.complete()) {
            ackRows = (long) current.sent;
            current = null;
        }
    }

    private void abandon(ChunkRows chunk, String reason) {
        DeliveryWindow window = delivery.window;
        for (Entry row : window.rowsOf(chunk)) {
            window.remove(row, 0);
        }
        chunk.close();
        if (chunk == current) {
            current = null;
            requeueReason = reason;
        }
    }

    @Override
    public Duration livePoll(Duration normal) {
        return current != null && !current.readDone() ? Duration.ZERO : normal;
    }

    @Override
    public void chunkArrived(DumpInfoResponse chunk) {
        pending = chunk;
    }

    @Override
    public void rowAcked(ChunkRows chunk) {
        if (chunk == current) {
            checkComplete();
        }
    }

    @Override
    public void rowRequeued(Entry row, String reason) {
        delivery.window.remove(row, 1);
        abandon(row.chunk, reason);
    }

    @Override
    public void rowGivenUp(Entry row, String reason) {
        throw new IllegalStateException("shared mode retries nothing in place");
    }

    @Override
    public void pullLost() {
        pending = null;
        ackRows = null;
        requeueReason = null;
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
        }
    }

    @Override
    public long bytes() {
        return current == null ? 0 : current.bytes();
    }
}
