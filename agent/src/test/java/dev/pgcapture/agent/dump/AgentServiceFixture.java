package dev.pgcapture.agent.dump;

import com.google.protobuf.ByteString;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.replica.ReplicaSchema;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.proto.AgentGrpc;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.grpc.ManagedChannel;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A replica database with the pgcapture schema, an {@link AgentService} on it served in-process,
 * and the test playing the applier: it writes rows and {@code pgcapture.sources} itself. Public
 * for the gateway's tests of its agent client.
 */
public final class AgentServiceFixture implements AutoCloseable {

    public static final DumpLimits LIMITS = new DumpLimits(8, Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMillis(20), Duration.ofSeconds(5), 64L << 20);

    public final TestDatabase db;
    public final DumpRegistry registry;
    public final AgentService service;
    public final ManagedChannel channel;

    private AgentServiceFixture(TestDatabase db, DumpRegistry registry, AgentService service, ManagedChannel channel) {
        this.db = db;
        this.registry = registry;
        this.service = service;
        this.channel = channel;
    }

    public static AgentServiceFixture start(TestDatabase db, GrpcExtension grpc, Clock clock) throws Exception {
        try (Connection c = db.connect()) {
            ReplicaSchema.ensure(c);
        }
        PostgresUrl url = PostgresUrl.parse(db.jdbcUrl());
        DumpRegistry registry = new DumpRegistry(url, LIMITS.cancelGrace());
        AgentService service = new AgentService(url, clock, LIMITS, registry);
        return new AgentServiceFixture(db, registry, service, grpc.serve(service));
    }

    /** Records that the replica has applied the source through {@code lsn}, as the applier would. */
    public void applied(Lsn lsn, Instant commitTime) throws Exception {
        try (Connection c = db.connect()) {
            ReplicaPosition.write(c, new Checkpoint(lsn, 0, ByteString.copyFromUtf8("msg")), commitTime);
        }
    }

    AgentGrpc.AgentStub async() {
        return AgentGrpc.newStub(channel);
    }

    AgentGrpc.AgentBlockingStub blocking() {
        return AgentGrpc.newBlockingStub(channel);
    }

    static Field field(Change change, String name) {
        return change.getNewList().stream().filter(f -> f.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " in " + change));
    }

    static int int4(Change change, String name) {
        return field(change, name).getBinary().asReadOnlyByteBuffer().getInt();
    }

    static long int8(Change change, String name) {
        return field(change, name).getBinary().asReadOnlyByteBuffer().getLong();
    }

    @Override
    public void close() throws InterruptedException {
        service.close();
    }
}
