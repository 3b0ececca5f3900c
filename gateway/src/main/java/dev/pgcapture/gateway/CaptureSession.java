package dev.pgcapture.gateway;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.RequeueSource;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.SourceResolver;
import dev.pgcapture.core.UnknownUriException;
import dev.pgcapture.proto.CaptureAck;
import dev.pgcapture.proto.CaptureInit;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.CaptureRequest;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Capture} stream: its own thread reads the consumer URI's source, pulls its dump
 * chunks, sends what passes to the client and turns the client's acknowledgements into source
 * commits, requeues and chunk answers.
 *
 * <p>The session thread is the only writer to the client and to the controller stream; gRPC's
 * threads only fill the {@link Inbox}. It sends only while the call {@code isReady()} and the
 * {@link DeliveryWindow} has room, and reads the source or the dumper only then, so a client that
 * stops reading stops its own reads and nothing piles up. Requests are taken from the client one
 * per acknowledgement processed ({@code disableAutoRequest}, {@code request(n)}).
 */
final class CaptureSession implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CaptureSession.class);
    private static final ByteString LAST_ROW = ByteString.copyFrom(new byte[] {1});

    private final long id;
    private final ServerCallStreamObserver<CaptureMessage> call;
    private final SourceResolver resolver;
    private final Optional<Channel> controller;
    private final GatewaySettings settings;
    private final Clock clock;
    private final Runnable ended;
    private final Counters counters;
    private final Inbox inbox = new Inbox();
    private final Backoff retryBackoff;
    private final Backoff pullBackoff;
    private final DeliveryWindow window;
    private volatile boolean cancelled;
    private volatile long heldBytes;
    private volatile boolean stalled;
    private volatile RequeueSource openSource;

    private String uri = "";
    private CaptureParameters parameters;
    private RequeueSource source;
    private SourceDumper dumper;
    private CommitLog commits;
    private DumpPuller puller;
    private DumpDelivery dumps;
    private Instant pullRetryAt = Instant.MIN;
    private int pullFailures;
    private SourceMessage heldBack;
    private Checkpoint lastRead = Checkpoint.ZERO;
    private Lsn lastDeliveredLsn = Lsn.ZERO;
    private int nextChunkId = 1;

    CaptureSession(long id, ServerCallStreamObserver<CaptureMessage> call, SourceResolver resolver, Optional<Channel> controller,
            GatewaySettings settings, Clock clock, Counters counters, Runnable ended) {
        this.id = id;
        this.counters = counters;
        this.ended = ended;
        this.call = call;
        this.resolver = resolver;
        this.controller = controller;
        this.settings = settings;
        this.clock = clock;
        this.retryBackoff = new Backoff(settings.retryBackoffMin(), settings.retryBackoffMax());
        this.pullBackoff = new Backoff(settings.dumpPullBackoffMin(), settings.dumpPullBackoffMax());
        this.window = new DeliveryWindow(settings.windowMessages());
        call.disableAutoRequest();
        call.setOnReadyHandler(inbox::signal);
        call.setOnCancelHandler(() -> {
            cancelled = true;
            inbox.stop(Status.CANCELLED.withDescription("the client cancelled"));
        });
    }

    /** The client's side of the call. */
    StreamObserver<CaptureRequest> requests() {
        return new StreamObserver<>() {
            @Override
            public void onNext(CaptureRequest request) {
                inbox.add(new Inbox.Request(request));
            }

            @Override
            public void onError(Throwable t) {
                cancelled = true;
                inbox.stop(Status.CANCELLED.withDescription("the client went away: " + t.getMessage()));
            }

            @Override
            public void onCompleted() {
                inbox.add(new Inbox.HalfClosed());
            }
        };
    }

    /** Ends the stream with {@code status} from any thread; the session thread does it. */
    void stop(Status status) {
        inbox.stop(status);
    }

    /** Bytes this stream holds: its window, pending commits, the held-back message, rows read ahead, and its source's own. */
    long bufferedBytes() {
        RequeueSource open = openSource;
        return heldBytes + (open == null ? 0 : SourceBuffers.bytes(open));
    }

    /** Whether a requeued message is being retried in place and has not been acknowledged yet. */
    boolean stalled() {
        return stalled;
    }

    @Override
    public void run() {
        Status end = Status.OK;
        try {
            start(awaitInit());
            call.request(settings.windowMessages());
            loop();
        } catch (SessionEnd e) {
            end = e.status;
        } catch (InterruptedException e) {
            end = Status.UNAVAILABLE.withDescription("the gateway is shutting down");
        } catch (Exception e) {
            log.error("capture stream {} of URI \"{}\" failed", id, uri, e);
            end = Status.INTERNAL.withDescription("the gateway failed: " + e);
        } finally {
            cleanup(end);
            ended.run();
        }
        if (cancelled) {
            return;
        }
        try {
            if (end.isOk()) {
                call.onCompleted();
            } else {
                call.onError(end.asRuntimeException());
            }
        } catch (RuntimeException e) {
            log.debug("capture stream {} could not be ended: {}", id, e.getMessage());
        }
    }

    private CaptureInit awaitInit() throws InterruptedException {
        call.request(1);
        while (true) {
            checkStop();
            Inbox.Event event = inbox.take(Duration.ofSeconds(1));
            if (event instanceof Inbox.Request request) {
                if (!request.request().hasInit()) {
                    throw new SessionEnd(Status.INVALID_ARGUMENT.withDescription("the first request must be init"));
                }
                return request.request().getInit();
            }
            if (event instanceof Inbox.HalfClosed) {
                throw new SessionEnd(Status.INVALID_ARGUMENT.withDescription("the first request must be init"));
            }
        }
    }

    private void start(CaptureInit init) throws Exception {
        uri = init.getUri();
        try {
            parameters = CaptureParameters.parse(init.getParameters());
        } catch (IllegalArgumentException e) {
            throw new SessionEnd(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
        }
        DeliveryMode mode = parameters.mode();
        try {
            source = resolver.source(uri, mode);
            openSource = source;
            source.capture(Checkpoint.ZERO);
        } catch (UnknownUriException e) {
            throw new SessionEnd(Status.NOT_FOUND.withDescription(e.getMessage()));
        } catch (IllegalStateException e) {
            throw new SessionEnd(Status.FAILED_PRECONDITION.withDescription(e.getMessage()));
        } catch (Exception e) {
            throw new SessionEnd(Status.UNAVAILABLE.withDescription("cannot open the source of URI \"" + uri + "\": " + e.getMessage()));
        }
        commits = new CommitLog(source, mode == DeliveryMode.EXACT);
        if (controller.isPresent()) {
            try {
                dumper = resolver.dumper(uri);
            } catch (UnknownUriException e) {
                log.info("URI \"{}\" has no dumps configured; capture stream {} delivers changes only", uri, id);
            } catch (Exception e) {
                throw new SessionEnd(Status.UNAVAILABLE.withDescription("cannot open the dumper of URI \"" + uri + "\": " + e.getMessage()));
            }
        }
        if (dumper != null) {
            puller = new DumpPuller(controller.get(), uri, mode, inbox);
            dumps = mode == DeliveryMode.EXACT ? new ExactDumps(this, dumper, puller) : new SharedDumps(this, dumper, puller);
        }
        log.info("capture stream {} started on URI \"{}\" in {} mode{}{}", id, uri, mode.parameterValue(),
                parameters.tableRegex().map(p -> ", " + CaptureParameters.TABLE_REGEX + " \"" + p.pattern() + "\"").orElse(""),
                dumps == null ? ", no dumps" : "");
    }

    private void loop() throws Exception {
        while (true) {
            drainInbox();
            checkStop();
            boolean busy = step(clock.instant());
            publish();
            if (!busy) {
                inbox.await(idleWait());
            }
        }
    }

    private void checkStop() {
        Status stop = inbox.stopStatus();
        if (stop != null) {
            throw new SessionEnd(stop);
        }
    }

    private void drainInbox() throws Exception {
        Inbox.Event event;
        while ((event = inbox.poll()) != null) {
            switch (event) {
                case Inbox.Request request -> {
                    onRequest(request.request());
                    call.request(1);
                }
                case Inbox.HalfClosed ignored -> throw new SessionEnd(Status.OK);
                case Inbox.Chunk chunk -> {
                    if (puller != null && puller.current(chunk.generation())) {
                        puller.received(chunk.chunk());
                        pullFailures = 0;
                        dumps.chunkArrived(chunk.chunk());
                    }
                }
                case Inbox.PullEnded ended -> {
                    if (puller != null && puller.current(ended.generation())) {
                        pullLost(ended.status());
                    }
                }
            }
        }
    }

    private void pullLost(Status status) {
        puller.lost();
        dumps.pullLost();
        pullFailures++;
        Duration wait = pullBackoff.after(pullFailures);
        pullRetryAt = clock.instant().plus(wait);
        log.warn("capture stream {} of URI \"{}\": the controller stream ended ({} {}); reconnecting in {}", id, uri,
                status.getCode(), status.getDescription(), wait);
    }

    private void onRequest(CaptureRequest request) throws Exception {
        if (request.hasInit()) {
            throw new SessionEnd(Status.INVALID_ARGUMENT.withDescription("init was already received; every later request must be ack"));
        }
        if (!request.hasAck()) {
            throw new SessionEnd(Status.INVALID_ARGUMENT.withDescription("a request must be init or ack"));
        }
        CaptureAck ack = request.getAck();
        Entry.Key key = Entry.Key.of(ack.getCheckpoint());
        Entry entry = window.match(key);
        if (entry == null) {
            if (window.absorbDuplicate(key)) {
                return;
            }
            throw new SessionEnd(Status.INVALID_ARGUMENT.withDescription("acknowledged checkpoint " + key
                    + " is not outstanding on this stream: never delivered, or already acknowledged"));
        }
        String reason = ack.getRequeueReason();
        if (reason.isEmpty()) {
            window.remove(entry, 1);
            if (entry.isRow()) {
                entry.chunk.acked++;
                dumps.rowAcked(entry.chunk);
            } else {
                commits.done(entry.slot);
            }
        } else if (parameters.mode() == DeliveryMode.SHARED) {
            if (entry.isRow()) {
                dumps.rowRequeued(entry, reason);
            } else {
                window.remove(entry, 1);
                source.requeue(entry.sourceCheckpoint, reason);
            }
        } else {
            retryInPlace(entry, reason);
        }
    }

    private void retryInPlace(Entry entry, String reason) {
        int attempts = window.failed(entry);
        counters.retries.increment();
        if (parameters.maxAttempts().isPresent() && attempts >= parameters.maxAttempts().getAsInt()) {
            log.warn("capture stream {} of URI \"{}\": giving up on {} after {} attempts: {}", id, uri, entry, attempts, reason);
            window.remove(entry, 1);
            counters.givenUp.increment();
            if (entry.isRow()) {
                dumps.rowGivenUp(entry, reason);
            } else {
                deadLetter(entry, reason);
                commits.skipped(entry.slot);
            }
            window.rewindAfter(entry);
            return;
        }
        Duration wait = retryBackoff.after(attempts);
        log.warn("capture stream {} of URI \"{}\": {} requeued (attempt {}), delivering it again in {}: {}", id, uri, entry,
                attempts, wait, reason);
        window.rewind(entry, clock.instant().plus(wait));
    }

    private void deadLetter(Entry entry, String reason) {
        try {
            source.requeue(entry.sourceCheckpoint, reason);
        } catch (RuntimeException e) {
            // The change stays unacknowledged on the subscription: the next consumer gets it again.
            throw new SessionEnd(Status.UNAVAILABLE.withDescription("cannot give up on " + entry + ": " + e.getMessage()));
        }
    }

    /** Does one piece of work; false when nothing could be done and the session should wait. */
    private boolean step(Instant now) throws Exception {
        maintainPuller(now);
        if (!call.isReady()) {
            return false;
        }
        Entry again = window.nextResend(now);
        if (again != null) {
            send(again.message);
            return true;
        }
        if (window.rewinding() || windowFull() || commits.pending() >= settings.maxPendingCommits()) {
            return false;
        }
        Duration poll = settings.sourcePoll();
        if (dumps != null) {
            switch (dumps.step()) {
                case PROGRESS -> {
                    return true;
                }
                case IDLE -> {
                    return false;
                }
                case LIVE -> poll = dumps.livePoll(poll);
            }
        }
        SourceMessage message = readSource(poll);
        if (message != null) {
            deliverLive(message);
        }
        return true; // the read waited already
    }

    private void maintainPuller(Instant now) {
        if (puller == null || puller.connected() || now.isBefore(pullRetryAt)) {
            return;
        }
        if (parameters.mode() == DeliveryMode.EXACT && !source.active()) {
            return; // a hot standby pulls no dumps
        }
        puller.connect();
    }

    private boolean windowFull() {
        return window.size() >= settings.windowMessages() || window.bytes() >= settings.windowBytes();
    }

    private Duration idleWait() {
        Instant now = clock.instant();
        Duration wait = settings.sourcePoll();
        if (window.rewinding()) {
            wait = min(wait, Duration.between(now, window.resumeAt()));
        }
        if (puller != null && !puller.connected()) {
            wait = min(wait, Duration.between(now, pullRetryAt));
        }
        return wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void publish() {
        heldBytes = window.bytes() + commits.bytes() + (heldBack == null ? 0 : heldBack.message().getSerializedSize())
                + (dumps == null ? 0 : dumps.bytes());
        stalled = window.retrying() > 0;
    }

    private void send(CaptureMessage message) {
        CaptureMessage out = window.takeRedeliveryMark() ? message.toBuilder().setRedelivery(true).build() : message;
        call.onNext(out);
    }

    // What the dump deliveries use.

    String uri() {
        return uri;
    }

    long id() {
        return id;
    }

    RequeueSource source() {
        return source;
    }

    Instant now() {
        return clock.instant();
    }

    GatewaySettings settings() {
        return settings;
    }

    boolean passes(String table) {
        return parameters.passes(table);
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
        CaptureMessage out = CaptureMessage.newBuilder()
                .setCheckpoint(checkpoint.toProto())
                .setChange(message.message().getChange())
                .build();
        window.add(Entry.live(out, checkpoint, commits.read(checkpoint)));
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
        send(out);
    }

    DeliveryWindow window() {
        return window;
    }

    private void cleanup(Status end) {
        if (!end.isOk() && end.getCode() != Status.Code.CANCELLED) {
            log.info("capture stream {} of URI \"{}\" ends: {} {}", id, uri, end.getCode(), end.getDescription());
        } else {
            log.info("capture stream {} of URI \"{}\" ends ({})", id, uri, cancelled ? "the client left" : end.getCode());
        }
        closeQuietly("dumps", () -> {
            if (dumps != null) {
                dumps.close();
            }
        });
        closeQuietly("controller stream", () -> {
            if (puller != null) {
                puller.close("the consumer left");
            }
        });
        closeQuietly("dumper", () -> {
            if (dumper != null) {
                dumper.close();
            }
        });
        closeQuietly("source", () -> {
            if (source != null) {
                source.close();
            }
        });
        openSource = null;
        heldBytes = 0;
        stalled = false;
    }

    private void closeQuietly(String what, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.warn("capture stream {} of URI \"{}\": closing the {} failed: {}", id, uri, what, e.getMessage());
        }
    }

    /** Ends the session with a status for the client. */
    static final class SessionEnd extends RuntimeException {
        final Status status;

        SessionEnd(Status status) {
            super(status.getDescription(), null, false, false);
            this.status = status;
        }
    }
}
