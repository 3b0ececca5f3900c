package dev.pgcapture.gateway;

import dev.pgcapture.core.Meters;
import dev.pgcapture.core.Readiness;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.SourceResolver;
import dev.pgcapture.core.UnknownUriException;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.CaptureRequest;
import dev.pgcapture.proto.DBLogGatewayGrpc;
import dev.pgcapture.proto.DescribeTypesRequest;
import dev.pgcapture.proto.DescribeTypesResponse;
import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code DBLogGateway} gRPC service: one {@code Capture} stream per consumer, merging the
 * consumer URI's change stream (a {@link dev.pgcapture.core.RequeueSource}) with the dump chunks
 * the controller hands it, and {@code DescribeTypes} answered by the URI's dumper.
 *
 * <p>Guarantees, per stream: changes go out in the source's order, with pgcapture's checkpoints;
 * Begin, Commit, KeepAlive and changes the client's {@code TableRegex} filters out are
 * acknowledged by the gateway itself; at most {@link GatewaySettings#windowMessages} messages and
 * {@link GatewaySettings#windowBytes} bytes are delivered and unacknowledged, and the stream
 * reads its source and dumper only while its client can take more (gRPC flow control), so a slow
 * client slows only itself. In shared mode a requeue is the subscription's redelivery (later, out
 * of order); in exact mode it is retried in place, go-back-N with backoff, so the client sees
 * commit order, and a dumped table arrives exactly once per row, as of one LSN, never older than
 * what the client has already seen (see {@link ExactDumps}). A bad request ends only its own
 * stream, with a status naming what is wrong.
 *
 * <p>Served by {@link dev.pgcapture.core.grpc.GrpcServer}; {@link #close} ends every stream. Ready
 * ({@link Readiness}) until closed. Its meters ({@code pgcapture_gateway_*}: consumers, messages
 * in flight, requeues, changes and dump rows delivered per URI; streams, buffered bytes, stalled
 * streams, retries and give-ups) go to the registry it is given.
 */
public final class GatewayService implements DBLogGatewayGrpc.AsyncService, BindableService, AutoCloseable, Readiness {

    private static final Logger log = LoggerFactory.getLogger(GatewayService.class);

    private final SourceResolver resolver;
    private final Optional<Channel> controller;
    private final GatewaySettings settings;
    private final Clock clock;
    /** An open stream and the thread that runs it. */
    private record Running(CaptureSession session, Thread thread) {
    }

    private final Map<Long, Running> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Counters counters;
    private volatile boolean closed;

    /**
     * @param resolver maps each stream's URI to its source and dumper
     * @param controller the controller's channel, to pull dump chunks from; empty: no dumps
     * @param settings windows, backoffs and waits
     * @param clock the time backoffs are measured by
     */
    public GatewayService(SourceResolver resolver, Optional<Channel> controller, GatewaySettings settings, Clock clock) {
        this(resolver, controller, settings, clock, new CompositeMeterRegistry());
    }

    /** A gateway whose meters go to {@code registry}. */
    public GatewayService(SourceResolver resolver, Optional<Channel> controller, GatewaySettings settings, Clock clock,
            MeterRegistry registry) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.controller = Objects.requireNonNull(controller, "controller");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(registry, "registry");
        this.counters = new Counters(registry, this::consumers, this::inFlight);
        for (String name : new String[] {"pgcapture.gateway.streams", "pgcapture.gateway.buffered", "pgcapture.gateway.stalled.streams"}) {
            Meters.release(registry, name, Tags.empty());
        }
        Gauge.builder("pgcapture.gateway.streams", sessions, Map::size).description("Capture streams open").register(registry);
        Gauge.builder("pgcapture.gateway.buffered", this, GatewayService::bufferedBytes).baseUnit("bytes")
                .description("Bytes the gateway holds for its streams").register(registry);
        Gauge.builder("pgcapture.gateway.stalled.streams", this, GatewayService::stalledStreams)
                .description("Exact-mode streams retrying a requeued message in place").register(registry);
    }

    @Override
    public Optional<String> whyNotReady() {
        return closed ? Optional.of("the gateway is shutting down") : Optional.empty();
    }

    private double consumers(String uri) {
        return sessions.values().stream().filter(running -> running.session().startedUri().equals(uri)).count();
    }

    private double inFlight(String uri) {
        return sessions.values().stream().filter(running -> running.session().startedUri().equals(uri))
                .mapToLong(running -> running.session().inFlight()).sum();
    }

    @Override
    public ServerServiceDefinition bindService() {
        return DBLogGatewayGrpc.bindService(this);
    }

    @Override
    public StreamObserver<CaptureRequest> capture(StreamObserver<CaptureMessage> responseObserver) {
        ServerCallStreamObserver<CaptureMessage> call = (ServerCallStreamObserver<CaptureMessage>) responseObserver;
        long id = ids.incrementAndGet();
        CaptureSession session = new CaptureSession(id, call, resolver, controller, settings, clock, counters,
                () -> sessions.remove(id));
        StreamObserver<CaptureRequest> requests = session.requests();
        Thread thread = Thread.ofVirtual().name("capture-" + id).unstarted(session);
        sessions.put(id, new Running(session, thread));
        if (closed) {
            session.stop(Status.UNAVAILABLE.withDescription("the gateway is shutting down"));
        }
        thread.start();
        return requests;
    }

    /**
     * Describes types by the source's OIDs with the URI's dumper: NOT_FOUND for an unknown URI,
     * FAILED_PRECONDITION for one without dumps, the agent's own status when it refuses.
     */
    @Override
    public void describeTypes(DescribeTypesRequest request, StreamObserver<DescribeTypesResponse> responseObserver) {
        Thread.ofVirtual().name("describe-types").start(() -> {
            Optional<SourceDumper> found;
            try {
                found = resolver.dumper(request.getUri());
            } catch (UnknownUriException e) {
                responseObserver.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
                return;
            } catch (Exception e) {
                responseObserver.onError(Status.UNAVAILABLE.withDescription("cannot open the dumper of URI \"" + request.getUri()
                        + "\": " + e.getMessage()).asRuntimeException());
                return;
            }
            if (found.isEmpty()) {
                responseObserver.onError(Status.FAILED_PRECONDITION.withDescription("URI \"" + request.getUri()
                        + "\" has no replica configured (no dumps), so its types cannot be described").asRuntimeException());
                return;
            }
            try (SourceDumper dumper = found.get()) {
                responseObserver.onNext(dumper.describeTypes(request.getOidsList()));
                responseObserver.onCompleted();
            } catch (IllegalStateException | UnsupportedOperationException e) {
                responseObserver.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
            } catch (StatusException | StatusRuntimeException e) {
                responseObserver.onError(Status.fromThrowable(e).asRuntimeException());
            } catch (Exception e) {
                log.warn("DescribeTypes for URI \"{}\" failed", request.getUri(), e);
                responseObserver.onError(Status.UNAVAILABLE.withDescription("describing types of URI \"" + request.getUri()
                        + "\" failed: " + e.getMessage()).asRuntimeException());
            }
        });
    }

    /**
     * The bytes the gateway holds for all its streams: messages read from sources and not yet
     * acknowledged or released, dump rows read ahead, held-back changes, and each source's own
     * buffers where the source tells them.
     */
    public long bufferedBytes() {
        long bytes = 0;
        for (Running running : sessions.values()) {
            bytes += running.session().bufferedBytes();
        }
        return bytes;
    }

    /**
     * How many exact-mode streams are stalled: retrying a requeued message in place that the
     * client has not acknowledged yet (each attempt is logged at WARN with its checkpoint, the
     * attempt count and the client's reason).
     */
    public int stalledStreams() {
        int stalled = 0;
        for (Running running : sessions.values()) {
            if (running.session().stalled()) {
                stalled++;
            }
        }
        return stalled;
    }

    /** How many exact-mode requeues have been retried in place since the gateway started, every attempt counted. */
    public long retriedInPlace() {
        return counters.retries.sum();
    }

    /**
     * How many messages exact-mode streams gave up on after their {@code MaxAttempts}: changes
     * published to the dead-letter topic, dump rows whose table was handed back to the controller.
     */
    public long givenUp() {
        return counters.givenUp.sum();
    }

    /** How many {@code Capture} streams are open. */
    public int streams() {
        return sessions.size();
    }

    /**
     * Ends every stream with UNAVAILABLE (their sources and dumpers closed, chunks in hand
     * requeued) and waits for them, at most {@link GatewaySettings#closeTimeout}; new streams
     * are refused.
     */
    @Override
    public void close() {
        closed = true;
        for (Running running : sessions.values()) {
            running.session().stop(Status.UNAVAILABLE.withDescription("the gateway is shutting down"));
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        for (Running running : sessions.values()) {
            Thread thread = running.thread();
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !thread.join(java.time.Duration.ofNanos(left))) {
                    log.warn("capture thread {} did not end within {}", thread.getName(), settings.closeTimeout());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
