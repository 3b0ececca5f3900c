package dev.pgcapture.agent.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.core.PostgresTime;
import dev.pgcapture.proto.Begin;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Commit;
import dev.pgcapture.proto.KeepAlive;
import dev.pgcapture.proto.Message;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimesTest {

    /** 2024-05-01T12:34:56.789012Z in PostgreSQL's microseconds. */
    private static final long COMMIT_MICROS = 767_882_096_789_012L;
    private static final long COMMIT_MILLIS = Instant.parse("2024-05-01T12:34:56.789Z").toEpochMilli();

    @Test
    void everyMessageOfATransaction_getsItsCommitTime_inUnixMilliseconds() {
        EventTimes times = new EventTimes();
        assertEquals(COMMIT_MILLIS, times.next(begin(COMMIT_MICROS)));
        assertEquals(COMMIT_MILLIS, times.next(change()));
        assertEquals(COMMIT_MILLIS, times.next(change()));
        assertEquals(COMMIT_MILLIS, times.next(commit(COMMIT_MICROS)));
    }

    @Test
    void keepAlive_andChangesOutsideATransaction_getNone() {
        EventTimes times = new EventTimes();
        assertEquals(0, times.next(keepAlive()));
        assertEquals(0, times.next(change()));
        times.next(begin(COMMIT_MICROS));
        times.next(commit(COMMIT_MICROS));
        assertEquals(0, times.next(keepAlive()), "the transaction ended with its commit");
        assertEquals(0, times.next(change()));
    }

    @Test
    void eachTransaction_getsItsOwnTime() {
        EventTimes times = new EventTimes();
        times.next(begin(COMMIT_MICROS));
        times.next(commit(COMMIT_MICROS));
        assertEquals(COMMIT_MILLIS + 1, times.next(begin(COMMIT_MICROS + 1000)));
        assertEquals(COMMIT_MILLIS + 1, times.next(change()));
    }

    @Test
    void aCommitWithoutTime_keepsTheBeginsTime() {
        EventTimes times = new EventTimes();
        times.next(begin(COMMIT_MICROS));
        assertEquals(COMMIT_MILLIS, times.next(commit(0)));
    }

    @Test
    void noTime_andTimesPulsarWouldReadAsUnset_giveNone() {
        EventTimes times = new EventTimes();
        assertEquals(0, times.next(begin(0)), "a Begin without a commit time");
        assertEquals(0, times.next(change()));
        // 1970-01-01T00:00:00Z is event time 0, which Pulsar reads as unset; before it, negative, which it refuses.
        assertEquals(0, EventTimes.of(-946_684_800_000_000L));
        assertEquals(0, EventTimes.of(-946_684_800_000_001L));
        assertEquals(1, EventTimes.of(-946_684_799_999_000L));
        assertEquals(PostgresTime.toEpochMillis(1), EventTimes.of(1));
    }

    private static Message begin(long commitMicros) {
        return Message.newBuilder().setBegin(Begin.newBuilder().setFinalLsn(0x1000).setCommitTime(commitMicros)).build();
    }

    private static Message change() {
        return Message.newBuilder().setChange(Change.newBuilder().setOp(Change.Operation.INSERT).setSchema("public").setTable("t")).build();
    }

    private static Message commit(long commitMicros) {
        return Message.newBuilder().setCommit(Commit.newBuilder().setCommitLsn(0x1000).setEndLsn(0x1001).setCommitTime(commitMicros)).build();
    }

    private static Message keepAlive() {
        return Message.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build();
    }
}
