package dev.pgcapture.agent.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresTime;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.Begin;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Commit;
import dev.pgcapture.proto.KeepAlive;
import dev.pgcapture.proto.Message;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PublishMetricsTest {

    private static final Instant COMMITTED = Instant.parse("2026-01-01T12:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PublishMetrics metrics = PublishMetrics.register(registry, "slot1", "persistent://public/default/t",
            Clock.fixed(COMMITTED.plusMillis(1500), ZoneOffset.UTC));

    private static SourceMessage message(Message.Builder m) {
        return new SourceMessage(Checkpoint.of(new Lsn(100), 0), m.build());
    }

    private double gauge(String name) {
        return registry.get(name).tag("slot", "slot1").gauge().value();
    }

    @Test
    void beforeAnyCommit_theLagGaugesAreNaN_notZero() {
        assertTrue(Double.isNaN(gauge("pgcapture.capture.lag")));
        assertTrue(Double.isNaN(gauge("pgcapture.capture.last.commit.timestamp")));
    }

    @Test
    void aTransaction_countsItsChangesAsRows_andItsCommitOnce_andTheLagIsHandOverMinusSourceCommit() {
        long micros = TimeUnit.MILLISECONDS.toMicros(Duration.between(PostgresTime.EPOCH, COMMITTED).toMillis());
        metrics.published(message(Message.newBuilder().setBegin(Begin.newBuilder().setFinalLsn(100).setCommitTime(micros))));
        for (int i = 0; i < 3; i++) {
            metrics.published(message(Message.newBuilder().setChange(Change.newBuilder().setOp(Change.Operation.INSERT)
                    .setSchema("public").setTable("t"))));
        }
        metrics.published(message(Message.newBuilder().setCommit(Commit.newBuilder().setCommitLsn(100).setEndLsn(120).setCommitTime(micros))));
        metrics.published(message(Message.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance())));

        assertEquals(3, registry.get("pgcapture.capture.rows").tag("topic", "persistent://public/default/t").counter().count());
        assertEquals(1, registry.get("pgcapture.capture.transactions").counter().count());
        assertEquals(1.5, gauge("pgcapture.capture.lag"));
        assertEquals(COMMITTED.getEpochSecond(), gauge("pgcapture.capture.last.commit.timestamp"));
    }

    @Test
    void registeredAgainOnTheSameRegistry_theNewestOwnsTheGauges_andTheCountersGoOn() {
        long micros = TimeUnit.MILLISECONDS.toMicros(Duration.between(PostgresTime.EPOCH, COMMITTED).toMillis());
        Message.Builder commit = Message.newBuilder().setCommit(Commit.newBuilder().setCommitLsn(100).setEndLsn(120).setCommitTime(micros));
        metrics.published(message(commit));
        PublishMetrics restarted = PublishMetrics.register(registry, "slot1", "persistent://public/default/t",
                Clock.fixed(COMMITTED.plusMillis(4000), ZoneOffset.UTC));
        restarted.published(message(commit));

        assertEquals(4.0, gauge("pgcapture.capture.lag"), "the restarted agent's lag, not its predecessor's");
        assertEquals(2, registry.get("pgcapture.capture.transactions").counter().count(), "one counter across restarts");
    }

    @Test
    void anAcknowledgement_isRecordedInThePublishTimer() {
        metrics.acknowledged(TimeUnit.MILLISECONDS.toNanos(7));
        assertEquals(1, registry.get("pgcapture.pulsar.publish").timer().count());
        assertEquals(7, registry.get("pgcapture.pulsar.publish").timer().totalTime(TimeUnit.MILLISECONDS), 0.001);
    }
}
