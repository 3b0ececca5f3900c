package dev.pgcapture.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.Readiness;
import dev.pgcapture.core.Sink;
import dev.pgcapture.core.Source;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.proto.KeepAlive;
import dev.pgcapture.proto.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AgentRunnerTest {

    private static final AgentRunner.Backoff FAST = new AgentRunner.Backoff(Duration.ofMillis(1), Duration.ofMillis(4));

    /** A stream of numbered messages shared by every session, failing once where told. */
    private final List<SourceMessage> stream = new ArrayList<>();
    private final List<SourceMessage> durable = new CopyOnWriteArrayList<>();
    private final List<Checkpoint> committedToSource = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private volatile int failAtIndex = -1;

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    private AgentRunnerTest withMessages(int count) {
        for (int i = 1; i <= count; i++) {
            stream.add(new SourceMessage(Checkpoint.of(new Lsn(i), 0), Message.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build()));
        }
        return this;
    }

    private final class ListSource implements Source {
        private int position;

        @Override
        public void capture(Checkpoint after) {
            while (position < stream.size() && !stream.get(position).checkpoint().isAfter(after)) {
                position++;
            }
        }

        @Override
        public SourceMessage next(Duration timeout) {
            if (position == failAtIndex) {
                failAtIndex = -1;
                throw new IllegalStateException("connection lost");
            }
            return position < stream.size() ? stream.get(position++) : null;
        }

        @Override
        public void commit(Checkpoint checkpoint) {
            committedToSource.add(checkpoint);
        }

        @Override
        public void close() {
        }
    }

    private class ListSink implements Sink {
        private Consumer<Checkpoint> committed;

        @Override
        public Optional<Checkpoint> setup(Consumer<Checkpoint> onCommitted) throws Exception {
            this.committed = onCommitted;
            return durable.isEmpty() ? Optional.empty() : Optional.of(durable.getLast().checkpoint());
        }

        @Override
        public void apply(SourceMessage message) {
            durable.add(message);
            committed.accept(message.checkpoint());
        }

        @Override
        public void close() {
        }
    }

    @Test
    void run_passesEveryMessageOnceAndCommitsItToTheSource() throws Exception {
        withMessages(5);
        AgentRunner runner = new AgentRunner("test", ListSource::new, ListSink::new, FAST);
        Future<?> run = executor.submit(() -> runUnchecked(runner));

        awaitDurable(5);
        assertTrue(runner.stopAndWait(Duration.ofSeconds(10)));
        run.get(10, TimeUnit.SECONDS);

        assertEquals(stream, durable);
        assertEquals(stream.getLast().checkpoint(), committedToSource.getLast());
    }

    @Test
    void run_afterAFailure_startsANewSessionThatResumesAfterTheSink() throws Exception {
        withMessages(6);
        failAtIndex = 3;
        AgentRunner runner = new AgentRunner("test", ListSource::new, ListSink::new, FAST);
        Future<?> run = executor.submit(() -> runUnchecked(runner));

        awaitDurable(6);
        assertTrue(runner.stopAndWait(Duration.ofSeconds(10)));
        run.get(10, TimeUnit.SECONDS);

        assertEquals(stream, durable, "every message exactly once, in order");
        assertEquals(2, runner.sessions());
    }

    @Test
    void run_stopsOnAFatalFailure_withoutRetrying() {
        AgentRunner runner = new AgentRunner("test", ListSource::new, () -> new ListSink() {
            @Override
            public Optional<Checkpoint> setup(Consumer<Checkpoint> onCommitted) throws Exception {
                throw new FatalAgentException("slot is gone");
            }
        }, FAST);

        FatalAgentException fatal = assertThrows(FatalAgentException.class, runner::run);
        assertEquals("slot is gone", fatal.getMessage());
        assertEquals(1, runner.sessions());
    }

    @Test
    void stop_duringBackoff_endsTheRunPromptly() throws Exception {
        AgentRunner runner = new AgentRunner("test", ListSource::new, () -> {
            throw new IllegalStateException("broker down");
        }, new AgentRunner.Backoff(Duration.ofHours(1), Duration.ofHours(1)));
        Future<?> run = executor.submit(() -> runUnchecked(runner));
        while (runner.sessions() == 0) {
            Thread.onSpinWait();
        }

        assertTrue(runner.stopAndWait(Duration.ofSeconds(10)));
        run.get(10, TimeUnit.SECONDS);
    }

    @Test
    void readiness_notReadyBeforeTheFirstSession_readyWhileOneRuns_notReadyOnceStopped() throws Exception {
        withMessages(2);
        AgentRunner runner = new AgentRunner("test", ListSource::new, ListSink::new, FAST);
        assertEquals(Optional.of("not started"), runner.whyNotReady());
        Future<?> run = executor.submit(() -> runUnchecked(runner));

        awaitDurable(2);
        assertEquals(Optional.empty(), runner.whyNotReady());
        assertTrue(runner.stopAndWait(Duration.ofSeconds(10)));
        run.get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("stopped"), runner.whyNotReady());
    }

    @Test
    void readiness_duringTheBackoffAfterAFailure_saysWhichSessionFailedAndWhy() throws Exception {
        AgentRunner runner = new AgentRunner("test", ListSource::new, () -> {
            throw new IllegalStateException("broker down");
        }, new AgentRunner.Backoff(Duration.ofHours(1), Duration.ofHours(1)));
        Future<?> run = executor.submit(() -> runUnchecked(runner));

        await().atMost(Duration.ofSeconds(10)).until(() -> runner.whyNotReady().orElse("").contains("retrying"));
        assertEquals(Optional.of("session 1 failed: IllegalStateException: broker down; retrying in 3600000 ms"), runner.whyNotReady());
        assertTrue(runner.stopAndWait(Duration.ofSeconds(10)));
        run.get(10, TimeUnit.SECONDS);
    }

    @Test
    void readiness_ofARunningSession_isTheSinksOwnWhenTheSinkTellsIt() throws Exception {
        AtomicReference<Optional<String>> producer = new AtomicReference<>(Optional.empty());
        final class ConnectedSink extends ListSink implements Readiness {
            @Override
            public Optional<String> whyNotReady() {
                return producer.get();
            }
        }
        withMessages(1);
        AgentRunner runner = new AgentRunner("test", ListSource::new, ConnectedSink::new, FAST);
        Future<?> run = executor.submit(() -> runUnchecked(runner));
        awaitDurable(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.whyNotReady().isEmpty());

        producer.set(Optional.of("producer p is not connected to topic t"));
        assertEquals(Optional.of("producer p is not connected to topic t"), runner.whyNotReady());
        producer.set(Optional.empty());
        assertEquals(Optional.empty(), runner.whyNotReady());
        assertTrue(runner.stopAndWait(Duration.ofSeconds(10)));
        run.get(10, TimeUnit.SECONDS);
    }

    @Test
    void backoff_rejectsAZeroStartAndAMaximumBelowTheStart() {
        assertThrows(IllegalArgumentException.class, () -> new AgentRunner.Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AgentRunner.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("initial PT2S, max PT1S"), e.getMessage());
    }

    private void awaitDurable(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (durable.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, durable.size(), "messages made durable");
    }

    private static Void runUnchecked(AgentRunner runner) throws Exception {
        runner.run();
        return null;
    }
}
