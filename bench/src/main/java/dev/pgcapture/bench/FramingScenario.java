package dev.pgcapture.bench;

import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.SourceMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.common.policies.data.TopicStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario {@code framing}: the agent's framing ({@link AgentFraming}: one Message per Pulsar
 * message, batching on, own fragments) against packing ({@link PackingPublisher}: many Messages
 * per Pulsar message, batching off, chunking on), on the in-process broker: throughput of the
 * same message stream to full acknowledgement, and a big change followed by small ones.
 */
final class FramingScenario {

    private static final Logger log = LoggerFactory.getLogger(FramingScenario.class);
    private static final Duration FLUSH_TIMEOUT = Duration.ofMinutes(10);

    /** The two designs. */
    enum Design {
        AGENT("pgcapture today: 1 Message per Pulsar message, batching on, own 4 MiB fragments"),
        PACKED("alternative: Messages packed per Pulsar message, batching off, chunking on");

        final String description;

        Design(String description) {
            this.description = description;
        }
    }

    /**
     * @param messages messages per throughput run
     * @param changesPerTransaction changes between a Begin and a Commit
     * @param runs measured runs of each design
     * @param warmupMessages messages of each design's untimed warm-up run
     * @param packBytes the packing design's largest pack
     * @param bigBytes the size of the big change's value
     * @param smallAfterBig how many small transactions follow the big one
     */
    record Options(int messages, int changesPerTransaction, int runs, int warmupMessages, int packBytes, int bigBytes, int smallAfterBig) {

        Options {
            if (messages < 1) {
                throw new IllegalArgumentException("--messages must be at least 1, was " + messages);
            }
            if (changesPerTransaction < 1) {
                throw new IllegalArgumentException("--changes-per-transaction must be at least 1, was " + changesPerTransaction);
            }
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
            }
            if (warmupMessages < 0) {
                throw new IllegalArgumentException("--warmup-messages must not be negative, was " + warmupMessages);
            }
            if (packBytes < 1024) {
                throw new IllegalArgumentException("--pack-bytes must be at least 1024, was " + packBytes);
            }
            if (bigBytes < 1) {
                throw new IllegalArgumentException("--big-bytes must be at least 1, was " + bigBytes);
            }
            if (smallAfterBig < 1) {
                throw new IllegalArgumentException("--small-after-big must be at least 1, was " + smallAfterBig);
            }
        }
    }

    /**
     * One throughput run.
     *
     * @param seconds from the first publish until every message is acknowledged
     * @param pulsarMessages Pulsar messages the broker received (batches count as their entries)
     * @param bytes bytes the broker received (compressed)
     */
    record Throughput(double seconds, long pulsarMessages, long bytes) {
    }

    /**
     * One big-change run; times in seconds from the first publish of the burst.
     *
     * @param smallOnlySeconds the same small transactions alone, before the big one: the baseline
     * @param bigPublishReturnedSeconds when publishing the big change returned
     * @param bigAckSeconds when the big change was acknowledged
     * @param firstSmallAckSeconds when the first small change after it was acknowledged
     * @param lastSmallAckSeconds when the last small transaction after it was acknowledged
     */
    record BigRow(double smallOnlySeconds, double bigPublishReturnedSeconds, double bigAckSeconds, double firstSmallAckSeconds,
                  double lastSmallAckSeconds) {
    }

    /** Per design, its runs. */
    record Result(Options options, List<Throughput> agent, List<Throughput> packed, List<BigRow> agentBig, List<BigRow> packedBig) {
    }

    private final PulsarClient client;
    private final PulsarAdmin admin;
    private final Options options;
    private int topics;

    FramingScenario(PulsarClient client, PulsarAdmin admin, Options options) {
        this.client = client;
        this.admin = admin;
        this.options = options;
    }

    Result run() throws Exception {
        if (options.warmupMessages() > 0) {
            for (Design design : Design.values()) {
                log.info("framing: warm-up of {} with {} messages (untimed)", design, options.warmupMessages());
                throughput(design, options.warmupMessages());
                bigRow(design);
            }
        }
        List<Throughput> agent = new ArrayList<>();
        List<Throughput> packed = new ArrayList<>();
        List<BigRow> agentBig = new ArrayList<>();
        List<BigRow> packedBig = new ArrayList<>();
        for (int i = 1; i <= options.runs(); i++) {
            List<Design> order = i % 2 == 1 ? List.of(Design.AGENT, Design.PACKED) : List.of(Design.PACKED, Design.AGENT);
            for (Design design : order) {
                Throughput t = throughput(design, options.messages());
                log.info("framing run {} {}: {} messages in {} s = {} messages/s ({} Pulsar messages, {} MB)", i, design, options.messages(),
                        Math.round(t.seconds() * 100) / 100.0, Math.round(options.messages() / t.seconds()), t.pulsarMessages(), t.bytes() >> 20);
                (design == Design.AGENT ? agent : packed).add(t);
            }
            for (Design design : order) {
                BigRow b = bigRow(design);
                log.info("framing run {} {}: big row {}", i, design, b);
                (design == Design.AGENT ? agentBig : packedBig).add(b);
            }
        }
        return new Result(options, agent, packed, agentBig, packedBig);
    }

    private FramedPublisher publisher(Design design, String topic) {
        PulsarSinkSettings settings = PulsarSinkSettings.forTopic(topic);
        return switch (design) {
            case AGENT -> new AgentFraming(client, admin, settings);
            case PACKED -> new PackingPublisher(client, admin, topic, settings.producerName(), options.packBytes(), settings.maxPendingMessages());
        };
    }

    private String newTopic(Design design) {
        return "persistent://public/default/bench-framing-" + design.name().toLowerCase() + "-" + (++topics) + "-" + System.currentTimeMillis();
    }

    private Throughput throughput(Design design, int messages) throws Exception {
        String topic = newTopic(design);
        CaptureMessages stream = new CaptureMessages(options.changesPerTransaction());
        try (FramedPublisher publisher = publisher(design, topic)) {
            publisher.open(checkpoint -> { });
            long started = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                publisher.publish(stream.next());
            }
            publisher.flush(FLUSH_TIMEOUT);
            double seconds = (System.nanoTime() - started) / 1e9;
            TopicStats stats = admin.topics().getStats(topic);
            return new Throughput(seconds, stats.getMsgInCounter(), stats.getBytesInCounter());
        } finally {
            deleteTopic(topic);
        }
    }

    private BigRow bigRow(Design design) throws Exception {
        String topic = newTopic(design);
        CaptureMessages stream = new CaptureMessages(1);
        Milestones milestones = new Milestones();
        try (FramedPublisher publisher = publisher(design, topic)) {
            publisher.open(milestones);

            long started = System.nanoTime();
            for (int i = 0; i < options.smallAfterBig() * 3; i++) {
                publisher.publish(stream.next());
            }
            publisher.flush(FLUSH_TIMEOUT);
            double smallOnly = (System.nanoTime() - started) / 1e9;

            SourceMessage[] big = stream.bigTransaction(options.bigBytes(), 42);
            List<SourceMessage> small = new ArrayList<>();
            for (int i = 0; i < options.smallAfterBig() * 3; i++) {
                small.add(stream.next());
            }
            milestones.expect(big[1].checkpoint(), small.get(1).checkpoint(), small.getLast().checkpoint());
            started = System.nanoTime();
            milestones.start(started);
            for (SourceMessage message : big) {
                publisher.publish(message);
            }
            double bigReturned = (System.nanoTime() - started) / 1e9;
            for (SourceMessage message : small) {
                publisher.publish(message);
            }
            publisher.flush(FLUSH_TIMEOUT);
            double[] at = milestones.seconds();
            return new BigRow(smallOnly, bigReturned, at[0], at[1], at[2]);
        } finally {
            deleteTopic(topic);
        }
    }

    private void deleteTopic(String topic) {
        try {
            admin.topics().delete(topic, true);
        } catch (Exception e) {
            log.debug("could not delete topic {}: {}", topic, e.getMessage());
        }
    }

    /** Records when the acknowledged position first reached each expected checkpoint. */
    private static final class Milestones implements Consumer<Checkpoint> {

        private Checkpoint[] expected = new Checkpoint[0];
        private long[] reached = new long[0];
        private long started;

        synchronized void expect(Checkpoint... checkpoints) {
            expected = checkpoints.clone();
            reached = new long[checkpoints.length];
        }

        synchronized void start(long nanos) {
            started = nanos;
        }

        @Override
        public synchronized void accept(Checkpoint acknowledged) {
            long now = System.nanoTime();
            for (int i = 0; i < expected.length; i++) {
                if (reached[i] == 0 && acknowledged.compareTo(expected[i]) >= 0) {
                    reached[i] = now;
                }
            }
        }

        synchronized double[] seconds() {
            double[] seconds = new double[reached.length];
            for (int i = 0; i < reached.length; i++) {
                if (reached[i] == 0) {
                    throw new IllegalStateException("checkpoint " + expected[i] + " was never acknowledged");
                }
                seconds[i] = (reached[i] - started) / 1e9;
            }
            return seconds;
        }
    }
}
