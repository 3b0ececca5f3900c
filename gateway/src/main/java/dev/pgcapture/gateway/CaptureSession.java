package dev.pgcapture.gateway;

import dev.pgcapture.core.Backoff;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.RequeueSource;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.SourceResolver;
import dev.pgcapture.core.UnknownUriException;
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
 * chunks, sends what passes to the client ({@link Delivery}) and turns the client's answers
 * into source commits, requeues and chunk answers ({@link Acks}).
 *
 * <p>The session thread is the only writer to the client and to the controller stream; gRPC's
 * threads only fill the {@link Inbox}. It sends only while the call {@code isReady()} and the
 * {@link DeliveryWindow} has room, and reads the source or the dumper only then, so a client that
 * stops reading stops its own reads and nothing piles up. Requests are taken from the client one
 * per answer processed ({@code disableAutoRequest}, {@code request(n)}).
 */
final class CaptureSession implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CaptureSession.class);

    private final long id;
    private final ServerCallStreamObserver<CaptureMessage> call;
    private final SourceResolver resolver;
    private final Optional<Channel> controller;
    private final GatewaySettings settings;
    private final Clock clock;
    private final Counters counters;
    private final Runnable ended;
    private final Inbox inbox = new Inbox();
    private final Backoff pullBackoff;
    private volatile boolean cancelled;
    private volatile long heldBytes;
    private volatile boolean stalled;
    private volatile RequeueSource openSource;
    private volatile SourceDumper openDumper;

    private volatile String uri = "";
    /** Messages delivered and not acknowledged, as of the last step; read by the gateway's meters. */
    private volatile int inFlight;
    private volatile boolean started;
    private RequeueSource source;
    private SourceDumper dumper;
    private Delivery delivery;
    private Acks acks;
    private DumpPuller puller;
    private DumpDelivery dumps;
    private Instant pullRetryAt = Instant.MIN;
    private int pullFailures;

    CaptureSession(long id, ServerCallStreamObserver<CaptureMessage> call, SourceResolver resolver, Optional<Channel> controller,
            GatewaySettings settings, Clock clock, Counters counters, Runnable ended) {
        this.id = id;
        this.call = call;
        this.resolver = resolver;
        this.controller = controller;
        this.settings = settings;
        this.clock = clock;
        this.counters = counters;
        this.ended = ended;
        this.pullBackoff = new Backoff(settings.dumpPullBackoffMin(), settings.dumpPullBackoffMax());
        call.disableAutoRequest();
        call.setOnReadyHandler(inbox::signal);
        call.setOnCancelHandler(() -> {
            cancelled = true;
            stop(Status.CANCELLED.withDescription("the client cancelled"));
        });
    }

    long id() {
        return id;
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
                stop(Status.CANCELLED.withDescription("the client went away: " + t.getMessage()));
            }

            @Override
            public void onCompleted() {
                inbox.add(new Inbox.HalfClosed());
            }
        };
    }

    /**
     * Ends the stream with {@code status} from any thread; the session thread does it. The dumper
     * is closed at once, so that a session waiting on the replica (a table snapshot waits for the
     * replica to catch up) ends promptly.
     */
    void stop(Status status) {
        inbox.stop(status);
        SourceDumper open = openDumper;
        if (open != null) {
            try {
                open.close();
            } catch (RuntimeException e) {
                log.debug("capture stream {}: closing the dumper failed: {}", id, e.getMessage());
            }
        }
    }

    /** Bytes this stream holds: its window, pending releases, the held-back message, rows read ahead, and its source's own. */
    long bufferedBytes() {
        RequeueSource open = openSource;
        return heldBytes + (open == null ? 0 : SourceBuffers.bytes(open));
    }

    /** The URI this stream consumes, once it has started; empty before. */
    String startedUri() {
        return started ? uri : "";
    }

    /** Messages delivered and not yet acknowledged. */
    int inFlight() {
        return inFlight;
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

    private void start(CaptureInit init) {
        uri = init.getUri();
        CaptureParameters parameters;
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
        delivery = new Delivery(id, uri, parameters, source, settings, new DeliveryWindow(settings.windowMessages()), call, clock,
                counters.forUri(uri));
        if (controller.isPresent()) {
            try {
                dumper = resolver.dumper(uri).orElse(null);
                openDumper = dumper;
                if (dumper == null) {
                    log.info("URI \"{}\" has no dumps configured; capture stream {} delivers changes only", uri, id);
                } else if (inbox.stopStatus() != null) {
                    dumper.close();
                }
            } catch (Exception e) {
                throw new SessionEnd(Status.UNAVAILABLE.withDescription("cannot open the dumper of URI \"" + uri + "\": " + e.getMessage()));
            }
        }
        if (dumper != null) {
            puller = new DumpPuller(controller.get(), uri, mode, inbox);
            dumps = mode == DeliveryMode.EXACT ? new ExactDumps(delivery, dumper, puller) : new SharedDumps(delivery, dumper, puller);
        }
        acks = new Acks(delivery, dumps, counters);
        started = true;
        log.info("capture stream {} started on URI \"{}\" in {} mode{}{}", id, uri, mode.parameterValue(),
                parameters.tableRegex().map(p -> ", " + CaptureParameters.TABLE_REGEX + " \"" + p.pattern() + "\"").orElse(""),
                dumps == null ? ", no dumps" : "");
    }

    private void loop() throws Exception {
        while (true) {
            drainInbox();
            checkStop();
            boolean busy = step(clock.instant());
            heldBytes = delivery.bytes() + (dumps == null ? 0 : dumps.bytes());
            stalled = delivery.window.retrying() > 0;
            inFlight = delivery.window.size();
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

    private void drainInbox() {
        Inbox.Event event;
        while ((event = inbox.poll()) != null) {
            switch (event) {
                case Inbox.Request request -> {
                    if (request.request().hasInit()) {
                        throw new SessionEnd(Status.INVALID_ARGUMENT.withDescription(
                                "init was already received; every later request must be ack"));
                    }
                    if (!request.request().hasAck()) {
                        throw new SessionEnd(Status.INVALID_ARGUMENT.withDescription("a request must be init or ack"));
                    }
                    acks.onAck(request.request().getAck());
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
                case Inbox.PullEnded pullEnded -> {
                    if (puller != null && puller.current(pullEnded.generation())) {
                        pullLost(pullEnded.status());
                    }
                }
            }
        }
    }

    private void pullLost(Status status) {
        puller.lost();
        dumps.pullLost();
        pullFailures++;
        Duration wait = pullBackoff.delay(pullFailures);
        pullRetryAt = clock.instant().plus(wait);
        log.warn("capture stream {} of URI \"{}\": the controller stream ended ({} {}); reconnecting in {}", id, uri,
                status.getCode(), status.getDescription(), wait);
    }

    /** Does one piece of work; false when nothing could be done and the session should wait. */
    private boolean step(Instant now) throws Exception {
        maintainPuller(now);
        if (!call.isReady()) {
            return false;
        }
        DeliveryWindow window = delivery.window;
        Entry again = window.nextResend(now);
        if (again != null) {
            delivery.send(again.message);
            return true;
        }
        if (window.rewinding() || delivery.windowFull() || delivery.commits.pending() >= settings.maxPendingCommits()) {
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
        SourceMessage message = delivery.readSource(poll);
        if (message != null) {
            delivery.deliverLive(message);
        }
        return true; // the read waited already
    }

    private void maintainPuller(Instant now) {
        if (puller == null || puller.connected() || now.isBefore(pullRetryAt)) {
            return;
        }
        if (delivery.parameters.mode() == DeliveryMode.EXACT && !source.active()) {
            return; // a hot standby pulls no dumps
        }
        puller.connect();
    }

    private Duration idleWait() {
        Instant now = clock.instant();
        Duration wait = settings.sourcePoll();
        if (delivery.window.rewinding()) {
            wait = min(wait, Duration.between(now, delivery.window.resumeAt()));
        }
        if (puller != null && !puller.connected()) {
            wait = min(wait, Duration.between(now, pullRetryAt));
        }
        return wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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
        openDumper = null;
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
}
