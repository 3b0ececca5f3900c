package dev.pgcapture.controller;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.Meters;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.Readiness;
import dev.pgcapture.core.ResolverConfig;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.DumpInfoRequest;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ListSchedulesResponse;
import dev.pgcapture.proto.ScheduleRequest;
import dev.pgcapture.proto.ScheduleResponse;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.ScheduleTablesResponse;
import dev.pgcapture.proto.SetScheduleCoolDownRequest;
import dev.pgcapture.proto.SetScheduleCoolDownResponse;
import dev.pgcapture.proto.StopScheduleRequest;
import dev.pgcapture.proto.StopScheduleResponse;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code DBLogController} gRPC service: holds dump schedules durably and hands their chunks
 * to the gateway streams that pull them ({@code PullDumpInfo}), as the {@link Scheduler}
 * decides.
 *
 * <p>Guarantees: every change is in the store before it is acted on or answered, so a
 * controller restarted on the same store (after a crash too) resumes every schedule; chunks that
 * were out are handed out again, an acknowledged chunk (in exact mode, a completed table) never
 * is. One controller per store: a second one is refused at start. If the store fails, every
 * {@code PullDumpInfo} stream ends with UNAVAILABLE and the controller loads its state again
 * from the store once it answers, as a restart would. Meanwhile it is not ready
 * ({@link Readiness}). Its gauges ({@link ScheduleMeters}, clients) go to the registry it is given.
 *
 * <p>Threads: gRPC calls from any thread are serialized by one lock around the scheduler and its
 * store; chunks are sent after the lock is released. Cool-downs and backoffs end on a timer.
 */
public final class ControllerService extends DBLogControllerGrpc.DBLogControllerImplBase implements AutoCloseable, Readiness {

    private static final Logger log = LoggerFactory.getLogger(ControllerService.class);
    private static final Duration RELOAD_DELAY = Duration.ofSeconds(1);

    private final ScheduleStore store;
    private final AgentLookup agents;
    private final ReplicaTables replicaTables;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ControllerSettings settings;
    private final Object lock = new Object();
    private final Map<Client, PullStream> streams = new HashMap<>(); // guarded by lock
    private Scheduler scheduler; // guarded by lock; null while the store is unavailable
    private String storeProblem; // guarded by lock
    private final WakeupTimer wakeup; // guarded by lock
    private boolean closed; // guarded by lock
    private final ScheduleMeters meters;

    /**
     * Recovers the store's schedules; takes ownership of every argument (closed with the service).
     *
     * @param timer runs the wake-ups at the end of cool-downs and backoffs
     * @throws StoreException when the store cannot be read
     */
    ControllerService(ScheduleStore store, AgentLookup agents, Clock clock, ScheduledExecutorService timer, ControllerSettings settings) {
        this(store, agents, clock, timer, settings, new CompositeMeterRegistry());
    }

    ControllerService(ScheduleStore store, AgentLookup agents, Clock clock, ScheduledExecutorService timer, ControllerSettings settings,
            MeterRegistry registry) {
        this.meters = new ScheduleMeters(registry, this::progressOf);
        Meters.release(registry, "pgcapture.controller.clients", Tags.empty());
        Gauge.builder("pgcapture.controller.clients", this, ControllerService::clients)
                .description("Gateway streams pulling dump chunks").register(registry);
        this.store = Objects.requireNonNull(store, "store");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.replicaTables = new ReplicaTables(agents, settings.agentTimeout());
        this.wakeup = new WakeupTimer(timer, this::tick);
        this.scheduler = Scheduler.recover(store, settings.backoff());
        meterSchedules();
    }

    /**
     * A controller on the store database {@code store}, finding agents through {@code resolver}
     * (the gateway's resolver config; without it, {@code Schedule} is not checked and
     * {@code ScheduleTables} is refused), with the default settings.
     *
     * @throws StoreException when the store cannot be opened or another controller uses it
     */
    public static ControllerService open(PostgresUrl store, Optional<ResolverConfig> resolver, Clock clock) {
        return open(store, resolver.map(config -> AgentLookup.of(config, "")).orElse(AgentLookup.none()), clock,
                ControllerSettings.defaults());
    }

    /**
     * A controller on the store database {@code store} that finds agents through {@code agents}
     * (closed with the controller).
     *
     * @throws StoreException when the store cannot be opened or another controller uses it
     */
    public static ControllerService open(PostgresUrl store, AgentLookup agents, Clock clock, ControllerSettings settings) {
        return open(store, agents, clock, settings, new CompositeMeterRegistry());
    }

    /**
     * A controller as {@link #open(PostgresUrl, AgentLookup, Clock, ControllerSettings)} whose
     * meters ({@code pgcapture_controller_*}) go to {@code registry}.
     *
     * @throws StoreException when the store cannot be opened or another controller uses it
     */
    public static ControllerService open(PostgresUrl store, AgentLookup agents, Clock clock, ControllerSettings settings,
            MeterRegistry registry) {
        PostgresStore postgres = PostgresStore.open(store, settings.storeLockWait());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "controller-timer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return new ControllerService(postgres, agents, clock, timer, settings, registry);
        } catch (RuntimeException e) {
            timer.shutdownNow();
            postgres.close();
            throw e;
        }
    }

    @Override
    public StreamObserver<DumpInfoRequest> pullDumpInfo(StreamObserver<DumpInfoResponse> responseObserver) {
        PullStream stream = new PullStream(this, (ServerCallStreamObserver<DumpInfoResponse>) responseObserver);
        stream.start();
        return stream;
    }

    @Override
    public void schedule(ScheduleRequest request, StreamObserver<ScheduleResponse> responseObserver) {
        try {
            List<DumpChunk> chunks = Requests.chunks(request);
            String uri = request.getUri();
            refuseUnfinished(uri);
            List<TableName> tables = chunks.stream().map(DumpChunk::table).distinct().toList();
            if (!replicaTables.check(uri, tables)) {
                log.info("scheduling chunks for URI {} without checking that its tables exist: it has no agent to ask", uri);
            }
            change((s, now) -> schedule(s, uri, chunks, now));
            meters.meter(uri);
            reply(responseObserver, ScheduleResponse.getDefaultInstance());
        } catch (StatusException e) {
            responseObserver.onError(e);
        }
    }

    @Override
    public void scheduleTables(ScheduleTablesRequest request, StreamObserver<ScheduleTablesResponse> responseObserver) {
        try {
            List<TableName> tables = Requests.tables(request);
            String uri = request.getUri();
            long pagesPerChunk = request.getPagesPerChunk() == 0 ? settings.defaultPagesPerChunk()
                    : Integer.toUnsignedLong(request.getPagesPerChunk());
            refuseUnfinished(uri);
            Map<TableName, Long> pages = replicaTables.pages(uri, tables);
            List<DumpChunk> chunks = new ArrayList<>();
            for (TableName table : tables) {
                chunks.addAll(ChunkPlanner.plan(table, pages.get(table), pagesPerChunk));
            }
            change((s, now) -> schedule(s, uri, chunks, now));
            meters.meter(uri);
            ScheduleTablesResponse.Builder response = ScheduleTablesResponse.newBuilder();
            chunks.forEach(chunk -> response.addDumps(chunk.toProto(false)));
            reply(responseObserver, response.build());
        } catch (StatusException e) {
            responseObserver.onError(e);
        }
    }

    @Override
    public void stopSchedule(StopScheduleRequest request, StreamObserver<StopScheduleResponse> responseObserver) {
        try {
            String uri = Requests.uri(request.getUri());
            change((s, now) -> s.stop(uri));
            reply(responseObserver, StopScheduleResponse.getDefaultInstance());
        } catch (StatusException e) {
            responseObserver.onError(e);
        }
    }

    @Override
    public void setScheduleCoolDown(SetScheduleCoolDownRequest request, StreamObserver<SetScheduleCoolDownResponse> responseObserver) {
        try {
            Duration coolDown = Requests.coolDown(request);
            change((s, now) -> s.coolDown(request.getUri(), coolDown));
            reply(responseObserver, SetScheduleCoolDownResponse.getDefaultInstance());
        } catch (StatusException e) {
            responseObserver.onError(e);
        }
    }

    @Override
    public void listSchedules(ListSchedulesRequest request, StreamObserver<ListSchedulesResponse> responseObserver) {
        ListSchedulesResponse.Builder response = ListSchedulesResponse.newBuilder();
        try {
            synchronized (lock) {
                usable().progress(request.getUri()).forEach(p -> response.addSchedules(Requests.progress(p)));
            }
            reply(responseObserver, response.build());
        } catch (StatusException e) {
            responseObserver.onError(e);
        }
    }

    /** Stops handing out chunks, ends every stream with UNAVAILABLE and closes the store: what is out stays out in the store, pending at the next start. */
    @Override
    public void close() {
        List<PullStream> open;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(streams.values());
            streams.clear();
            wakeup.cancel();
        }
        open.forEach(stream -> stream.fail(Status.UNAVAILABLE.withDescription("the controller is shutting down")));
        timer.shutdownNow();
        agents.close();
        store.close();
    }

    /** The first request of a stream: registers its client, or ends the stream saying what is wrong. */
    Client register(PullStream stream, DumpInfoRequest request) {
        if (request.getUri().isEmpty()) {
            stream.fail(Status.INVALID_ARGUMENT.withDescription("the first DumpInfoRequest must name the uri to pull dumps for"));
            return null;
        }
        DeliveryMode mode;
        try {
            mode = DeliveryMode.parse(request.getMode());
        } catch (IllegalArgumentException e) {
            stream.fail(Status.INVALID_ARGUMENT.withDescription("mode: " + e.getMessage()));
            return null;
        }
        Client[] client = new Client[1];
        try {
            change((s, now) -> {
                client[0] = s.register(request.getUri(), mode);
                streams.put(client[0], stream);
            });
        } catch (StatusException e) {
            stream.fail(e.getStatus());
        }
        return client[0];
    }

    /** A later request of a stream: the answer to the chunk sent last. */
    void answer(PullStream stream, Client client, DumpInfoRequest request) {
        try {
            change((s, now) -> {
                if (streams.get(client) != stream) {
                    return; // the client is gone (the store failed since): its answer no longer counts
                }
                if (request.getRequeueReason().isEmpty()) {
                    s.acknowledge(client, request.getRows(), now);
                } else {
                    s.requeue(client, request.getRequeueReason(), now);
                }
            });
        } catch (StatusException e) {
            stream.fail(e.getStatus());
        }
    }

    /** The stream of {@code client} ended: what it held goes back. Does nothing once the controller is closed. */
    void disconnect(Client client) {
        try {
            change((s, now) -> {
                if (streams.remove(client) != null) {
                    s.disconnect(client, now);
                }
            });
        } catch (StatusException e) {
            log.debug("{} left while the controller could not take it into account: {}", client, e.getStatus().getDescription());
        }
    }

    /** Hands out what became available with time (a cool-down or a backoff ended). */
    void tick() {
        synchronized (lock) {
            wakeup.fired();
        }
        try {
            change((s, now) -> { });
        } catch (StatusException e) {
            log.debug("tick skipped: {}", e.getStatus().getDescription());
        }
    }

    private interface Change {
        void apply(Scheduler scheduler, Instant now) throws StatusException;
    }

    /**
     * Makes a change under the lock, hands out what became available, sets the timer for the
     * next cool-down or backoff to end, then sends the chunks. A store failure ends every stream.
     */
    private void change(Change change) throws StatusException {
        List<Runnable> after = new ArrayList<>();
        StatusException failure = null;
        synchronized (lock) {
            Scheduler s = usable();
            Instant now = clock.instant();
            try {
                change.apply(s, now);
                for (Scheduler.Handout handout : s.dispatch(now)) {
                    PullStream stream = streams.get(handout.client());
                    if (stream != null) {
                        after.add(() -> stream.send(handout.dump()));
                    }
                }
                wakeup.arm(now, s.nextWakeup(now));
            } catch (StoreException e) {
                failure = Status.UNAVAILABLE.withDescription(e.getMessage()).asException();
                Status status = Status.UNAVAILABLE.withDescription("the controller lost its store and reloads it: pull again ("
                        + e.getMessage() + ")");
                for (PullStream stream : storeFailed(e)) {
                    after.add(() -> stream.fail(status));
                }
            }
        }
        after.forEach(Runnable::run);
        if (failure != null) {
            throw failure;
        }
    }

    private Scheduler usable() throws StatusException {
        if (closed) {
            throw Status.UNAVAILABLE.withDescription("the controller is shutting down").asException();
        }
        if (scheduler == null) {
            throw Status.UNAVAILABLE.withDescription("the controller's store is unavailable: " + storeProblem).asException();
        }
        return scheduler;
    }

    private void refuseUnfinished(String uri) throws StatusException {
        synchronized (lock) {
            Optional<Scheduler.Progress> current = usable().unfinished(uri);
            if (current.isPresent()) {
                throw Status.ALREADY_EXISTS.withDescription(Scheduler.alreadyScheduled(current.get())).asException();
            }
        }
    }

    private static void schedule(Scheduler s, String uri, List<DumpChunk> chunks, Instant now) throws StatusException {
        try {
            s.schedule(uri, chunks, now);
        } catch (Scheduler.ScheduleExistsException e) {
            throw Status.ALREADY_EXISTS.withDescription(e.getMessage()).asException();
        }
    }

    /** Drops the scheduler and every client after a store failure; returns the streams to end. Reloads later. */
    private List<PullStream> storeFailed(StoreException e) {
        log.error("the controller's store failed; ending every PullDumpInfo stream and loading the store again: {}", e.getMessage());
        scheduler = null;
        storeProblem = e.getMessage();
        List<PullStream> open = new ArrayList<>(streams.values());
        streams.clear();
        wakeup.cancel();
        timer.schedule(this::reload, RELOAD_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        return open;
    }

    private void reload() {
        synchronized (lock) {
            if (closed || scheduler != null) {
                return;
            }
            try {
                scheduler = Scheduler.recover(store, settings.backoff());
                storeProblem = null;
                meterSchedules();
                log.info("the controller's store is available again; schedules reloaded");
            } catch (StoreException e) {
                storeProblem = e.getMessage();
                log.warn("the controller's store is still unavailable, trying again in {}: {}", RELOAD_DELAY, e.getMessage());
                timer.schedule(this::reload, RELOAD_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Ready while the store is open and usable; not after a store failure (until it is reloaded) or once closed. */
    @Override
    public Optional<String> whyNotReady() {
        synchronized (lock) {
            if (closed) {
                return Optional.of("the controller is shut down");
            }
            return scheduler == null ? Optional.of("the schedule store is unavailable: " + storeProblem) : Optional.empty();
        }
    }

    private Optional<Scheduler.Progress> progressOf(String uri) {
        synchronized (lock) {
            return scheduler == null ? Optional.empty() : scheduler.progress(uri).stream().findFirst();
        }
    }

    private double clients() {
        synchronized (lock) {
            return scheduler == null ? 0 : scheduler.clientCount();
        }
    }

    /** Registers the gauges of every URI the scheduler holds a schedule for. */
    private void meterSchedules() {
        scheduler.progress("").forEach(progress -> meters.meter(progress.uri()));
    }

    private static <T> void reply(StreamObserver<T> observer, T response) {
        observer.onNext(response);
        observer.onCompleted();
    }
}
