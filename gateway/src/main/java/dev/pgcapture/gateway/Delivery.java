package dev.pgcapture.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.RequeueSource;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.CaptureMessage;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream sends its client, and where it stands: reads the source (a held-back message
 * first), sends changes that pass the filter and dump rows with pgcapture's checkpoints,
 * acknowledges everything else itself, and records each message sent in the
 * {@link DeliveryWindow}. Used by the session thread only.
 */
final class Delivery {

    private static final Logger log = LoggerFactory.getLogger(Delivery.class);
    private static final ByteString LAST_ROW = ByteString.copyFrom(new byte[] {1});

    final long id;
    final String uri;
    final CaptureParameters parameters;
    final RequeueSource source;
    final GatewaySettings settings;
    final DeliveryWindow window;
    final CommitLog commits;
    final Counters.UriMeters meters;
    private final ServerCallStreamObserver<CaptureMessage> call;
    private final Clock clock;
    private SourceMessage heldBack;
    private Checkpoint lastRead = Checkpoint.ZERO;
    private Lsn lastDeliveredLsn = Lsn.ZERO;
    private int nextChunkId = 1;

    Delivery(long id, String uri, CaptureParameters parameters, RequeueSource source, GatewaySettings settings,
            DeliveryWindow window, ServerCallStreamObserver<CaptureMessage> call, Clock clock, Counters.UriMeters meters) {
        this.id = id;
        this.meters = meters;
        this.uri = uri;
        this.parameters = parameters;
        this.source = source;
        this.settings = settings;
        this.window = window;
        this.call = call;
        this.clock = clock;
        this.commits = new CommitLog(source, parameters.mode() == dev.pgcapture.core.DeliveryMode.EXACT);
    }

    Instant now() {
        return clock.instant();
    }

    boolean passes(String table) {
        return parameters.passes(table);
    }

    /** Whether the window holds as many messages or bytes as it may. */
    boolean windowFull() {
        return window.size() >= settings.windowMessages() || window.bytes() >= settings.windowBytes();
    }

    /** Bytes held: the window, positions waiting for release, the held-back message. */
    long bytes() {
        return window.bytes() + commits.bytes() + (heldBack == null ? 0 : heldBack.message().getSerializedSize());
    }

    /** The commit LSN of the last change delivered to the client (its transaction complete or not). */
    Lsn lastDeliveredLsn() {
        return lastDeliveredLsn;
    }

    /** The position of the last message read from the source. */
    Checkpoint lastRead() {
        return lastRead;
    }

    boolean hasHeldBack() {
        return heldBack != null;
    }

    /** Keeps a message read from the source to deliver later, before anything read after it. */
    void holdBack(SourceMessage message) {
        heldBack = message;
    }

    /** The held-back message if any, else the source's next one (waiting at most {@code timeout}), or null. */
    SourceMessage readSource(Duration timeout) {
        if (heldBack != null) {
            SourceMessage message = heldBack;
            heldBack = null;
            return message;
        }
        SourceMessage message;
        try {
            message = source.next(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionEnd(Status.UNAVAILABLE.withDescription("the gateway is shutting down"));
        } catch (Exception e) {
            log.warn("capture stream {}: the source of URI \"{}\" failed", id, uri, e);
            throw new SessionEnd(Status.UNAVAILABLE.withDescription("the source of URI \"" + uri + "\" failed: " + e.getMessage()));
        }
        if (message != null) {
            lastRead = message.checkpoint();
        }
        return message;
    }

    /** Sends a change that passes the filter; acknowledges everything else itself. */
    void deliverLive(SourceMessage message) {
        Checkpoint checkpoint = message.checkpoint();
        if (!message.message().hasChange() || !parameters.passes(message.message().getChange())) {
            commits.selfAck(checkpoint);
            return;
        }
        CaptureMessage.Builder builder = CaptureMessage.newBuilder()
                .setCheckpoint(checkpoint.toProto())
                .setChange(message.message().getChange());
        Instant commitTime = message.commitTime();
        if (commitTime != null) {
            builder.setCommitTime(Timestamp.newBuilder().setSeconds(commitTime.getEpochSecond()).setNanos(commitTime.getNano()));
        }
        CaptureMessage out = builder.build();
        window.add(Entry.live(out, checkpoint, commits.read(checkpoint)));
        meters.changes().increment();
        if (checkpoint.lsn().isAfter(lastDeliveredLsn)) {
            lastDeliveredLsn = checkpoint.lsn();
        }
        send(out);
    }

    int newChunkId() {
        return nextChunkId++;
    }

    /** Sends a dump row: {@code {lsn 0, seq chunk id, data [1] on the last}}, with the chunk's snapshot LSN. */
    void sendRow(ChunkRows chunk, ChunkRows.Row row) {
        CaptureMessage out = CaptureMessage.newBuilder()
                .setCheckpoint(dev.pgcapture.proto.Checkpoint.newBuilder()
                        .setLsn(0)
                        .setSeq(chunk.id)
                        .setData(row.last() ? LAST_ROW : ByteString.EMPTY))
                .setChange(row.change())
                .setSnapshotLsn(chunk.snapshotLsn)
                .build();
        window.add(Entry.row(out, chunk));
        meters.dumpRows().increment();
        send(out);
    }

    /** Sends a message, flagged {@code redelivery} when it is the first after a rewind. */
    void send(CaptureMessage message) {
        CaptureMessage out = window.takeRedeliveryMark() ? message.toBuilder().setRedelivery(true).build() : message;
        call.onNext(out);
    }
}
