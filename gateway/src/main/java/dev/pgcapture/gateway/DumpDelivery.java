package dev.pgcapture.gateway;

import dev.pgcapture.proto.DumpInfoResponse;
import java.time.Duration;

/**
 * How a stream delivers the dump chunks the controller hands it, in its mode: {@link SharedDumps}
 * (pgcapture's chunk by chunk) or {@link ExactDumps} (a table at a time, at the exact LSN).
 *
 * <p>Called by the session thread only.
 */
interface DumpDelivery {

    /** What a {@link #step} did. */
    enum Step {
        /** Something was done (or waited for): look at the inbox, then step again. */
        PROGRESS,
        /** Nothing can be done until something happens: wait. */
        IDLE,
        /** Dumps need nothing now: deliver the live stream. */
        LIVE
    }

    /** Does one piece of dump work; called only while the client can take a message. */
    Step step() throws Exception;

    /** How long a live read may wait now ({@code normal} unless rows are waiting to go out). */
    Duration livePoll(Duration normal);

    /** The controller handed a chunk. */
    void chunkArrived(DumpInfoResponse chunk);

    /** The client acknowledged a row of {@code chunk}. */
    void rowAcked(ChunkRows chunk);

    /** Shared mode: the client requeued {@code row}. */
    void rowRequeued(Entry row, String reason);

    /** Exact mode: the client requeued {@code row} too many times. */
    void rowGivenUp(Entry row, String reason);

    /** The controller stream ended: whatever was in hand is abandoned. */
    void pullLost();

    /** The stream ends: stop reading, release snapshots. */
    void close();

    /** Bytes held besides the delivery window (rows read ahead). */
    long bytes();
}
