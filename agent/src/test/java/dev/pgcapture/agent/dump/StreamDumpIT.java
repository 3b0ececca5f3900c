package dev.pgcapture.agent.dump;

import static dev.pgcapture.agent.dump.AgentDumpIT.count;
import static dev.pgcapture.agent.dump.AgentServiceFixture.field;
import static dev.pgcapture.agent.dump.AgentServiceFixture.int4;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.AgentDumpRequest;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.TableInfoRequest;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** pgcapture's StreamDump against a replica: preconditions, hostile names, source type OIDs, flow control. */
@ExtendWith(PostgresExtension.class)
class StreamDumpIT {

    private static final Lsn APPLIED = Lsn.parse("5/A0");
    private static final int SOURCE_MOOD = 900_001;
    private static final int SOURCE_MOOD_ARRAY = 900_002;
    private static final int ACLITEM = 1033;

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    private static AgentDumpRequest request(Lsn minLsn, String schema, String table, int pageBegin, int pageEnd) {
        return AgentDumpRequest.newBuilder().setMinLsn(minLsn.value())
                .setInfo(DumpInfoResponse.newBuilder().setSchema(schema).setTable(table).setPageBegin(pageBegin).setPageEnd(pageEnd))
                .build();
    }

    @Test
    void minLsnAheadOfTheReplica_isFailedPreconditionNamingBothLsns(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)");
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC())) {
            replica.applied(APPLIED, Instant.now());
            Lsn ahead = Lsn.parse("5/A1");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> replica.blocking().streamDump(request(ahead, "public", "t", 0, 10)).hasNext());
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertEquals("the replica has applied the source up to 5/A0, behind the requested min_lsn 5/A1", e.getStatus().getDescription());
        }
    }

    @Test
    void hostileNames_areOnlyNames(TestDatabase db) throws Exception {
        String hostile = "x\"; DROP TABLE y; --";
        db.execute("CREATE TABLE y (id int)", "INSERT INTO y VALUES (1)", "CREATE TABLE z (id int)");
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC())) {
            replica.applied(APPLIED, Instant.now());
            assertFalse(replica.blocking().streamDump(request(APPLIED, "public", hostile, 0, 100)).hasNext(), "a missing table is empty");
            assertFalse(replica.blocking().streamDump(request(APPLIED, hostile, "y", 0, 100)).hasNext());
            var info = replica.blocking().tableInfo(TableInfoRequest.newBuilder().setSchema("public").setTable(hostile).build());
            assertFalse(info.getExists());
            assertEquals(APPLIED.value(), info.getAppliedLsn());
            assertEquals(1, count(db, "SELECT count(*) FROM y"), "y is still there");
            assertEquals(0, count(db, "SELECT count(*) FROM z"), "z is still there");

            db.execute("CREATE TABLE \"x\"\"; DROP TABLE y; --\" (id int)", "INSERT INTO \"x\"\"; DROP TABLE y; --\" VALUES (7)");
            List<Change> rows = new ArrayList<>();
            replica.blocking().streamDump(request(APPLIED, "public", hostile, 0, 100)).forEachRemaining(rows::add);
            assertEquals(1, rows.size(), "a table with that name is dumped like any other");
            assertEquals(7, int4(rows.get(0), "id"));
            assertEquals(hostile, rows.get(0).getTable());
            assertEquals(1, count(db, "SELECT count(*) FROM y"));
        }
    }

    @Test
    void userTypeColumns_carryTheSourceTypeOids_andTheSnapshotLsnHeaderIsSent(TestDatabase db) throws Exception {
        db.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE pets (id int PRIMARY KEY, m mood, ms mood[], acl aclitem, twice int GENERATED ALWAYS AS (id * 2) STORED)",
                "INSERT INTO pets VALUES (1, 'happy', '{sad,NULL,happy}', (acldefault('r', (SELECT oid FROM pg_roles WHERE rolname = current_user)))[1])",
                "INSERT INTO pets (id) VALUES (2)");
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC())) {
            replica.applied(APPLIED, Instant.now());
            try (Connection c = db.connect()) {
                ReplicaTables.putType(c, SOURCE_MOOD, "public", "mood");
                ReplicaTables.putType(c, SOURCE_MOOD_ARRAY, "public", "_mood");
            }
            AtomicReference<Metadata> headers = new AtomicReference<>();
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            List<Change> rows = new ArrayList<>();
            replica.blocking().withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                    .streamDump(request(APPLIED, "public", "pets", 0, 0)).forEachRemaining(rows::add);
            assertEquals(APPLIED.toString(), headers.get().get(SnapshotLsnHeader.KEY), "pgcapture-snapshot-lsn");
            assertEquals(2, rows.size());
            Change first = rows.stream().filter(r -> int4(r, "id") == 1).findFirst().orElseThrow();

            Field m = field(first, "m");
            assertEquals(SOURCE_MOOD, m.getOid());
            assertEquals("happy", m.getBinary().toStringUtf8());
            Field ms = field(first, "ms");
            assertEquals(SOURCE_MOOD_ARRAY, ms.getOid());
            ByteBuffer array = ms.getBinary().asReadOnlyByteBuffer();
            assertEquals(1, array.getInt(0), "one dimension");
            assertEquals(1, array.getInt(4), "has NULLs");
            assertEquals(SOURCE_MOOD, array.getInt(8), "the array embeds the source's element OID");
            Field acl = field(first, "acl");
            assertEquals(ACLITEM, acl.getOid());
            assertTrue(acl.hasText(), "aclitem has no binary send function: sent as text");
            assertEquals(queryText(db, "SELECT acl::text FROM pets WHERE id = 1"), acl.getText());
            assertEquals(2, int4(first, "twice"), "generated columns are dumped");

            Change second = rows.stream().filter(r -> int4(r, "id") == 2).findFirst().orElseThrow();
            assertEquals(SOURCE_MOOD, field(second, "m").getOid());
            assertEquals(Field.ValueCase.VALUE_NOT_SET, field(second, "m").getValueCase(), "NULL has no value");

            db.execute("CREATE TYPE color AS ENUM ('red')", "ALTER TABLE pets ADD COLUMN c color");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> replica.blocking().streamDump(request(APPLIED, "public", "pets", 0, 0)).hasNext());
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().startsWith("cannot dump table public.pets: type public.color (replica OID "),
                    e.getStatus().getDescription());
        }
    }

    @Test
    void slowReader_theServerReadsOnlyAsFastAsTheCallerTakesRows(TestDatabase db) throws Exception {
        int rows = 20_000;
        db.execute("CREATE TABLE big (id int, pad text)", "INSERT INTO big SELECT i, repeat('b', 200) FROM generate_series(1, " + rows + ") i");
        try (AgentServiceFixture replica = AgentServiceFixture.start(db, grpc, Clock.systemUTC())) {
            replica.applied(APPLIED, Instant.now());
            BlockingQueue<Object> received = new LinkedBlockingQueue<>();
            AtomicReference<ClientCallStreamObserver<AgentDumpRequest>> call = new AtomicReference<>();
            replica.async().streamDump(request(APPLIED, "public", "big", 0, -1), new ClientResponseObserver<AgentDumpRequest, Change>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<AgentDumpRequest> requestStream) {
                    call.set(requestStream);
                    requestStream.disableAutoRequestWithInitial(0);
                }

                @Override
                public void onNext(Change value) {
                    received.add(value);
                }

                @Override
                public void onError(Throwable t) {
                    received.add(t);
                }

                @Override
                public void onCompleted() {
                    received.add("completed");
                }
            });
            call.get().request(100);
            for (int i = 0; i < 100; i++) {
                assertTrue(received.poll(60, TimeUnit.SECONDS) instanceof Change);
            }
            await().atMost(TableDumpClient.WAIT).until(() -> replica.service.dumpsWaitingForReader() == 1);
            long readAhead = replica.service.rowsRead() - 100;
            System.out.printf("slow reader: the server read %d rows ahead of the 100 taken (of %d)%n", readAhead, rows);
            assertTrue(readAhead <= 1000, "the server read " + readAhead + " rows ahead of a caller that took 100");

            call.get().request(Integer.MAX_VALUE);
            int total = 100;
            Object event;
            while ((event = received.poll(60, TimeUnit.SECONDS)) instanceof Change) {
                total++;
            }
            assertEquals("completed", event);
            assertEquals(rows, total);
        }
    }

    private static String queryText(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
