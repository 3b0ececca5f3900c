package dev.pgcapture.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlushTrackerTest {

    private static final Lsn START = Lsn.parse("0/1000");

    private final FlushTracker tracker = new FlushTracker(START);

    @Test
    void toConfirm_reportsTheSlotPositionOnceThenOnlyChanges() {
        assertEquals(Optional.of(START), tracker.toConfirm());
        assertEquals(Optional.empty(), tracker.toConfirm());
    }

    @Test
    void transaction_isConfirmedAtItsEndOnlyWhenItsCommitIsAcknowledged() {
        tracker.toConfirm();
        tracker.open();
        tracker.emitted(Checkpoint.of(Lsn.parse("0/2000"), 3), Lsn.parse("0/2030"));

        tracker.acknowledged(Checkpoint.of(Lsn.parse("0/2000"), 2));
        assertEquals(Optional.empty(), tracker.toConfirm(), "a change of the transaction is not the whole transaction");

        tracker.acknowledged(Checkpoint.of(Lsn.parse("0/2000"), 3));
        assertEquals(Optional.of(Lsn.parse("0/2030")), tracker.toConfirm());
    }

    @Test
    void acknowledgement_releasesEveryTransactionUpToIt_inOrder() {
        tracker.emitted(Checkpoint.of(Lsn.parse("0/2000"), 2), Lsn.parse("0/2030"));
        tracker.emitted(Checkpoint.of(Lsn.parse("0/3000"), 2), Lsn.parse("0/3030"));
        tracker.emitted(Checkpoint.of(Lsn.parse("0/4000"), 2), Lsn.parse("0/4030"));

        tracker.acknowledged(Checkpoint.of(Lsn.parse("0/3000"), 2));

        assertEquals(Optional.of(Lsn.parse("0/3030")), tracker.toConfirm());
        assertEquals(1, tracker.pendingTransactions());
    }

    @Test
    void acknowledgement_neverGoesBackwards() {
        tracker.emitted(Checkpoint.of(Lsn.parse("0/2000"), 2), Lsn.parse("0/2030"));
        tracker.acknowledged(Checkpoint.of(Lsn.parse("0/2000"), 2));
        tracker.acknowledged(Checkpoint.of(Lsn.parse("0/1500"), 9));
        tracker.emitted(Checkpoint.of(Lsn.parse("0/1800"), 2), Lsn.parse("0/1830"));

        assertEquals(Optional.of(Lsn.parse("0/2030")), tracker.toConfirm());
        assertEquals(Lsn.parse("0/2030"), tracker.confirmed());
    }

    @Test
    void idle_followsTheServerOnlyWhenNothingIsOpenOrWaiting() {
        tracker.toConfirm();
        tracker.emitted(Checkpoint.of(Lsn.parse("0/2000"), 2), Lsn.parse("0/2030"));
        tracker.idle(Lsn.parse("0/9000"));
        assertEquals(Optional.empty(), tracker.toConfirm(), "a transaction is still waiting for its acknowledgement");

        tracker.acknowledged(Checkpoint.of(Lsn.parse("0/2000"), 2));
        tracker.open();
        tracker.idle(Lsn.parse("0/9000"));
        assertEquals(Optional.of(Lsn.parse("0/2030")), tracker.toConfirm(), "a transaction is open");

        tracker.skipped(Lsn.parse("0/5000"));
        tracker.idle(Lsn.parse("0/9000"));
        assertEquals(Optional.of(Lsn.parse("0/9000")), tracker.toConfirm());
    }

    @Test
    void idle_neverMovesBackwards() {
        tracker.idle(Lsn.parse("0/900"));
        assertEquals(START, tracker.confirmed());
    }

    @Test
    void skipped_transactionAdvancesWhenNothingWaits() {
        tracker.open();
        tracker.skipped(Lsn.parse("0/1800"));
        assertEquals(Lsn.parse("0/1800"), tracker.confirmed());
        assertTrue(tracker.pendingTransactions() == 0);
    }
}
