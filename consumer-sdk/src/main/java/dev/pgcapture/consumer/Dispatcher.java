package dev.pgcapture.consumer;

import dev.pgcapture.consumer.CaptureStream.Closing;
import dev.pgcapture.consumer.CaptureStream.Ended;
import dev.pgcapture.consumer.CaptureStream.Event;
import dev.pgcapture.consumer.CaptureStream.Finished;
import dev.pgcapture.consumer.CaptureStream.Received;
import dev.pgcapture.consumer.Handlers.Binding;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Field;
import io.grpc.Channel;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code Capture} call on the consumer's thread: decodes each message, hands it to its
 * handler, and acknowledges or requeues it; holds updates back when debouncing. Everything
 * happens on the one thread that called {@link #run}, driven by the event queue, so handlers
 * of one consumer never run concurrently unless they are asynchronous.
 *
 * <p>In exact mode a requeue rewinds the gateway: it delivers the requeued message again,
 * flagged {@code redelivery}, then everything after it that was not acknowledged. So after a
 * requeue this ignores messages until that flag, and drops held updates received after the
 * requeued message (they come again); nothing unacknowledged is ever lost, since the gateway
 * keeps it.
 */
final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Keys held by debouncing at most; beyond it the oldest is handed on early. */
    static final int MAX_HELD = 10_000;

    /** The outcome of a call: the consumer is closing, or the call ended with {@code status}. */
    record Outcome(boolean closing, Status status, boolean delivered) {
    }

    /** One message's work: its change for each handler concerned (several for a TRUNCATE of several tables). */
    private record Work(CaptureMessage message, long seq, List<Job<?>> jobs, Object debounceKey) {
    }

    /** Work handed to asynchronous handlers; {@code request} when its end lets the gateway send one more message. */
    private record Started(Work work, boolean request) {
    }

    private record Job<T>(Binding<T> binding, Change<T> change) {
        CompletionStage<?> startAsync() throws Exception {
            return binding.asyncHandler().handle(change);
        }

        void runSync() throws Exception {
            binding.handler().handle(change);
        }

        boolean async() {
            return binding.asyncHandler() != null;
        }
    }

    private final Channel channel;
    private final ConsumerOptions options;
    private final Handlers handlers;
    private final GatewayTypes types;
    private final BlockingQueue<Event> events;
    private final Counters counters;
    private final Clock clock;
    private final boolean exact;
    private final Debouncer<Work> debouncer;
    private final BooleanSupplier closing;

    private CaptureStream stream;
    private long seq;
    private boolean ignoring;
    private int running;
    private boolean delivered;

    /** @param closing whether the consumer is closing: then no further message is handed to a handler */
    Dispatcher(Channel channel, ConsumerOptions options, Handlers handlers, GatewayTypes types, BlockingQueue<Event> events,
            Counters counters, BooleanSupplier closing) {
        this.closing = closing;
        this.channel = channel;
        this.options = options;
        this.handlers = handlers;
        this.types = types;
        this.events = events;
        this.counters = counters;
        this.clock = options.clock();
        this.exact = options.mode() == DeliveryMode.EXACT;
        this.debouncer = options.debounce().isZero() || !handlers.anyKeyed() ? null : new Debouncer<>(options.debounce(), MAX_HELD);
    }

    /** Opens a call and handles its messages until it ends or the consumer closes. */
    Outcome run() throws InterruptedException {
        stream = CaptureStream.open(channel, options, events);
        try {
            while (true) {
                Event event = next();
                if (closing.getAsBoolean() && !(event instanceof Finished)) {
                    // Messages queued behind a close are not handled: unacknowledged, they come again.
                    return closeGracefully();
                }
                if (event != null) {
                    switch (event) {
                        case Closing closing -> {
                            return closeGracefully();
                        }
                        case Ended ended when ended.stream() == stream -> {
                            return new Outcome(false, ended.status(), delivered);
                        }
                        case Received received when received.stream() == stream -> {
                            delivered = true;
                            counters.received.incrementAndGet();
                            onMessage(received.message());
                        }
                        case Finished finished when finished.stream() == stream -> onFinished((Started) finished.work(), finished.failure());
                        default -> {
                            // an event of an earlier call: what it did not acknowledge comes again
                        }
                    }
                }
                handDue();
            }
        } finally {
            if (!stream.ended()) {
                stream.cancel("the consumer stopped");
            }
            if (debouncer != null) {
                // Not acknowledged: the gateway delivers them again on the next call.
                debouncer.clear();
            }
        }
    }

    private Event next() throws InterruptedException {
        Instant due = debouncer == null ? null : debouncer.nextDue();
        if (due == null) {
            return events.take();
        }
        long waitMillis = Duration.between(clock.instant(), due).toMillis();
        return waitMillis <= 0 ? events.poll() : events.poll(waitMillis, TimeUnit.MILLISECONDS);
    }

    private void onMessage(CaptureMessage message) {
        long mySeq = ++seq;
        if (ignoring) {
            if (!message.getRedelivery()) {
                counters.ignored.incrementAndGet();
                stream.request();
                return;
            }
            ignoring = false;
        }
        Work work;
        try {
            work = prepare(message, mySeq);
        } catch (DecodeFailure failure) {
            onDecodeFailure(message, mySeq, failure);
            stream.request();
            return;
        }
        if (work.jobs().isEmpty()) {
            counters.withoutHandler.incrementAndGet();
            stream.ack(message.getCheckpoint());
            stream.request();
            return;
        }
        if (debouncer != null && !handOnHeldBefore(work)) {
            // A held update of the same key was requeued in exact mode: this message comes again.
            stream.request();
            return;
        }
        if (work.debounceKey() != null) {
            Debouncer.Displaced<Work> displaced = debouncer.hold(work.debounceKey(), work, clock.instant());
            if (displaced.replaced() != null) {
                counters.debounced.incrementAndGet();
                stream.ack(displaced.replaced().message().getCheckpoint());
            }
            stream.request();
            if (displaced.overflow() != null) {
                dispatch(displaced.overflow(), false);
            }
            return;
        }
        dispatch(work, true);
    }

    /** The message's change for each handler concerned, decoded and bound. */
    private Work prepare(CaptureMessage message, long mySeq) throws DecodeFailure {
        dev.pgcapture.proto.Change change = message.getChange();
        Checkpoint checkpoint = Checkpoint.fromProto(message.getCheckpoint());
        Instant commitTime = message.hasCommitTime()
                ? Instant.ofEpochSecond(message.getCommitTime().getSeconds(), message.getCommitTime().getNanos())
                : null;
        Operation operation = operation(message);
        if (operation == Operation.TRUNCATE) {
            return truncateWork(message, mySeq, checkpoint, commitTime);
        }
        TableName table = new TableName(change.getSchema(), change.getTable());
        Binding<?> binding = handlers.forTable(table);
        if (binding == null) {
            return new Work(message, mySeq, List.of(), null);
        }
        PgCodecs codecs = types.covering(oids(change));
        Row newValues = RowDecoder.decode(codecs, change.getNewList(), change.getUnchangedToastList());
        Row oldValues = RowDecoder.decode(codecs, change.getOldList(), List.of());
        Lsn snapshotLsn = operation == Operation.DUMP ? new Lsn(message.getSnapshotLsn()) : null;
        Job<?> job = job(binding, operation, table, newValues, oldValues, checkpoint, commitTime, snapshotLsn);
        Object key = null;
        if (debouncer != null && operation == Operation.UPDATE && oldValues == null && binding.model() != null
                && binding.model().hasKey()) {
            key = List.of(table, binding.model().key(newValues));
        }
        return new Work(message, mySeq, List.of(job), key);
    }

    private static <T> Job<T> job(Binding<T> binding, Operation operation, TableName table, Row newValues, Row oldValues,
            Checkpoint checkpoint, Instant commitTime, Lsn snapshotLsn) throws DecodeFailure {
        T newRow = bind(binding, newValues);
        T oldRow = bind(binding, oldValues);
        return new Job<>(binding, new Change<>(operation, table, newRow, oldRow, newValues, oldValues, checkpoint, commitTime,
                snapshotLsn, null));
    }

    @SuppressWarnings("unchecked")
    private static <T> T bind(Binding<T> binding, Row row) throws DecodeFailure {
        if (row == null) {
            return null;
        }
        return binding.model() == null ? (T) row : binding.model().bind(row);
    }

    private Work truncateWork(CaptureMessage message, long mySeq, Checkpoint checkpoint, Instant commitTime) {
        dev.pgcapture.proto.Change change = message.getChange();
        Set<TableName> tables = new LinkedHashSet<>();
        change.getTruncate().getTablesList().forEach(t -> tables.add(new TableName(t.getSchema(), t.getTable())));
        if (tables.isEmpty()) {
            tables.add(new TableName(change.getSchema(), change.getTable()));
        }
        Change.Truncate truncate = new Change.Truncate(List.copyOf(tables), change.getTruncate().getCascade(),
                change.getTruncate().getRestartIdentity());
        List<Job<?>> jobs = new ArrayList<>();
        for (TableName table : tables) {
            Binding<?> binding = handlers.forTable(table);
            if (binding != null) {
                jobs.add(truncateJob(binding, table, checkpoint, commitTime, truncate));
            }
        }
        return new Work(message, mySeq, jobs, null);
    }

    private static <T> Job<T> truncateJob(Binding<T> binding, TableName table, Checkpoint checkpoint, Instant commitTime,
            Change.Truncate truncate) {
        return new Job<>(binding, new Change<>(Operation.TRUNCATE, table, null, null, null, null, checkpoint, commitTime, null,
                truncate));
    }

    /** The operation; a dump row is known by its checkpoint's LSN 0 (it comes as an UPDATE, pgcapture's convention). */
    private static Operation operation(CaptureMessage message) {
        boolean dumpRow = message.getCheckpoint().getLsn() == 0;
        return switch (message.getChange().getOp()) {
            case INSERT -> dumpRow ? Operation.DUMP : Operation.INSERT;
            case UPDATE -> dumpRow ? Operation.DUMP : Operation.UPDATE;
            case DELETE -> Operation.DELETE;
            case TRUNCATE -> Operation.TRUNCATE;
            case UNRECOGNIZED -> throw new IllegalStateException("the gateway sent a change of an unknown operation "
                    + message.getChange().getOpValue() + "; upgrade the consumer SDK");
        };
    }

    private static Set<Integer> oids(dev.pgcapture.proto.Change change) {
        Set<Integer> oids = new LinkedHashSet<>();
        for (Field field : change.getNewList()) {
            oids.add(field.getOid());
        }
        for (Field field : change.getOldList()) {
            oids.add(field.getOid());
        }
        return oids;
    }

    /**
     * Before a change of a debounced model that is not itself held, hands on the updates held for
     * the keys it touches (or, for a TRUNCATE, for its tables), so that each key's changes keep
     * their order. False when one of them was requeued in exact mode, so this message comes again.
     */
    private boolean handOnHeldBefore(Work work) {
        List<Work> before = new ArrayList<>();
        for (Job<?> job : work.jobs()) {
            Change<?> change = job.change();
            if (job.binding().model() == null || !job.binding().model().hasKey()) {
                continue;
            }
            if (change.operation() == Operation.TRUNCATE) {
                before.addAll(debouncer.removeIf(held -> held.jobs().get(0).change().table().equals(change.table())));
                continue;
            }
            if (work.debounceKey() != null) {
                continue;
            }
            for (Row row : new Row[] {change.newValues(), change.oldValues()}) {
                if (row != null) {
                    Work held = debouncer.take(List.of(change.table(), job.binding().model().key(row)));
                    if (held != null) {
                        before.add(held);
                    }
                }
            }
        }
        before.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        for (Work held : before) {
            dispatch(held, false);
            if (ignoring) {
                return false;
            }
        }
        return true;
    }

    /** Hands the work to its handlers; {@code request} lets the gateway send one more message once done. */
    private void dispatch(Work work, boolean request) {
        Throwable failure = null;
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (Job<?> job : work.jobs()) {
            try {
                if (job.async()) {
                    CompletionStage<?> stage = job.startAsync();
                    if (stage == null) {
                        throw new NullPointerException("the asynchronous handler of " + job.change().table() + " returned null");
                    }
                    started.add(stage.toCompletableFuture());
                } else {
                    job.runSync();
                }
            } catch (Throwable t) {
                failure = t;
                break;
            }
        }
        if (failure != null || started.isEmpty()) {
            finish(work, failure);
            if (request) {
                stream.request();
            }
            return;
        }
        running++;
        CaptureStream current = stream;
        Started asynchronous = new Started(work, request);
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, t) -> events.add(new Finished(current, asynchronous, t)));
    }

    private void onFinished(Started started, Throwable failure) {
        running--;
        finish(started.work(), failure);
        if (started.request()) {
            stream.request();
        }
    }

    /** Acknowledges the work, or requeues it with the failure's message. */
    private void finish(Work work, Throwable failure) {
        if (failure == null) {
            counters.handled.incrementAndGet();
            stream.ack(work.message().getCheckpoint());
            return;
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String reason = cause.getMessage() != null && !cause.getMessage().isBlank() ? cause.getMessage() : cause.getClass().getName();
        log.debug("requeued {}: {}", work.message().getCheckpoint(), reason, cause);
        requeue(work, reason);
    }

    private void requeue(Work work, String reason) {
        counters.requeued.incrementAndGet();
        stream.requeue(work.message().getCheckpoint(), reason);
        if (exact) {
            ignoring = true;
            if (debouncer != null) {
                // Received after the requeued message, not acknowledged: the gateway delivers them again.
                debouncer.removeIf(held -> held.seq() > work.seq());
            }
        }
    }

    private void onDecodeFailure(CaptureMessage message, long mySeq, DecodeFailure failure) {
        dev.pgcapture.proto.Change change = message.getChange();
        DecodeError error = new DecodeError(new TableName(change.getSchema(), change.getTable()), failure.column, failure.typeOid,
                failure.getMessage(), Checkpoint.fromProto(message.getCheckpoint()), options.decodeErrorPolicy());
        counters.decodeErrors.incrementAndGet();
        try {
            options.decodeErrorListener().onDecodeError(error);
        } catch (RuntimeException e) {
            log.warn("the decode error listener failed on {}", error, e);
        }
        if (options.decodeErrorPolicy() == DecodeErrorPolicy.SKIP) {
            counters.skipped.incrementAndGet();
            stream.ack(message.getCheckpoint());
        } else {
            requeue(new Work(message, mySeq, List.of(), null), error.toString());
        }
    }

    /** Hands on the held updates that are due. */
    private void handDue() {
        if (debouncer == null || ignoring) {
            return;
        }
        for (Work held : debouncer.due(clock.instant())) {
            dispatch(held, false);
            if (ignoring) {
                return;
            }
        }
    }

    /**
     * Closing: held updates stay unacknowledged (they come again), running asynchronous handlers
     * get until the close timeout to finish, then the gateway is told nothing more comes and
     * given the rest of the timeout to take the acknowledgements.
     */
    private Outcome closeGracefully() throws InterruptedException {
        if (debouncer != null) {
            debouncer.clear();
        }
        long deadline = System.nanoTime() + options.closeTimeout().toNanos();
        while (running > 0) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                break;
            }
            if (event instanceof Finished finished && finished.stream() == stream) {
                running--;
                finish(((Started) finished.work()).work(), finished.failure());
            } else if (event instanceof Ended ended && ended.stream() == stream) {
                return new Outcome(true, ended.status(), delivered);
            }
        }
        stream.finish();
        while (true) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                return new Outcome(true, Status.CANCELLED.withDescription("closed before the gateway ended the stream"), delivered);
            }
            if (event instanceof Ended ended && ended.stream() == stream) {
                return new Outcome(true, ended.status(), delivered);
            }
        }
    }
}
