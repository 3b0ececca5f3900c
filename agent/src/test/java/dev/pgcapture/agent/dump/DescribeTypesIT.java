package dev.pgcapture.agent.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.proto.DescribeTypesRequest;
import dev.pgcapture.proto.DescribeTypesResponse;
import dev.pgcapture.proto.TypeAttribute;
import dev.pgcapture.proto.TypeDescription;
import dev.pgcapture.proto.TypeDescription.Kind;
import dev.pgcapture.testkit.GrpcExtension;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code DescribeTypes} on a seeded replica whose user types have other OIDs than the source's:
 * asked by the source's OIDs, it answers with the source's OIDs throughout, and with every type
 * the requested ones are made of.
 */
@ExtendWith(PostgresExtension.class)
class DescribeTypesIT {

    private static final int INT4 = 23;
    private static final int NUMERIC = 1700;

    private static final String[] SOURCE = {
        "CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok', 'happy')",
        "CREATE DOMAIN posint AS int CHECK (VALUE > 0)",
        "CREATE TYPE pair AS (n posint, m mood, ms mood[])",
        "CREATE TYPE price_range AS RANGE (subtype = numeric)",
        "CREATE TYPE mood_range AS RANGE (subtype = mood)",
        "CREATE TABLE typed (id int PRIMARY KEY, ps pair[], pm price_multirange, mr mood_range)",
    };

    /**
     * Types the replica has before it is seeded: its OIDs shift; its mood lacks 'meh', which the
     * seed adds between 'sad' and 'ok' (so label OIDs are not in sort order); its pair has a
     * dropped attribute. The seed creates the ranges.
     */
    private static final String[] REPLICA_BEFORE_SEED = {
        "CREATE TYPE shift AS ENUM ('x')",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE DOMAIN posint AS int CHECK (VALUE > 0)",
        "CREATE TYPE pair AS (n posint, gone int, m mood, ms mood[])",
        "ALTER TYPE pair DROP ATTRIBUTE gone",
    };

    @RegisterExtension
    final GrpcExtension grpc = new GrpcExtension();

    @Test
    void describeTypes_bySourceOids_describesTheRequestedTypesAndEveryPart_withTheSourcesOidsThroughout(TestDatabase source,
            TestDatabase replica) throws Exception {
        try (AgentServiceFixture agent = seeded(source, replica)) {
            Map<String, Integer> src = oids(source);
            Map<String, Integer> rep = oids(replica);
            for (String name : List.of("mood", "_mood", "posint", "pair", "_pair", "price_range", "price_multirange", "mood_range")) {
                assertTrue(rep.containsKey(name), () -> "the replica has " + name);
                assertNotEquals(src.get(name), rep.get(name), "the replica's " + name + " has another OID than the source's");
            }

            DescribeTypesResponse response = agent.blocking().describeTypes(DescribeTypesRequest.newBuilder()
                    .setUri("ignored").addOids(src.get("_pair")).addOids(src.get("price_multirange")).addOids(src.get("mood_range"))
                    .build());

            assertEquals(List.of(), response.getUnknownOidsList());
            assertEquals(List.of(src.get("_pair"), src.get("price_multirange"), src.get("mood_range")),
                    response.getTypesList().subList(0, 3).stream().map(TypeDescription::getOid).toList(), "the requested types first, in order");
            Map<Integer, TypeDescription> types = response.getTypesList().stream()
                    .collect(Collectors.toMap(TypeDescription::getOid, Function.identity()));
            assertEquals(Set.of(src.get("_pair"), src.get("pair"), src.get("posint"), INT4, src.get("mood"), src.get("_mood"),
                    src.get("price_multirange"), src.get("price_range"), NUMERIC, src.get("mood_range")), types.keySet(),
                    "the requested types and everything they are made of, each once");

            assertType(types.get(src.get("_pair")), "public", "_pair", Kind.ARRAY, "public.pair[]");
            assertEquals(src.get("pair"), types.get(src.get("_pair")).getElementOid());
            TypeDescription pair = types.get(src.get("pair"));
            assertType(pair, "public", "pair", Kind.COMPOSITE, "public.pair");
            assertEquals(List.of(attribute("n", src.get("posint")), attribute("m", src.get("mood")), attribute("ms", src.get("_mood"))),
                    pair.getAttributesList(), "attributes in order, the replica's dropped one left out");
            assertType(types.get(src.get("posint")), "public", "posint", Kind.DOMAIN, "public.posint");
            assertEquals(INT4, types.get(src.get("posint")).getBaseOid());
            assertType(types.get(INT4), "pg_catalog", "int4", Kind.BASE, "integer");
            TypeDescription mood = types.get(src.get("mood"));
            assertType(mood, "public", "mood", Kind.ENUM, "public.mood");
            assertEquals(List.of("sad", "meh", "ok", "happy"), mood.getLabelsList(), "labels in sort order");
            assertType(types.get(src.get("_mood")), "public", "_mood", Kind.ARRAY, "public.mood[]");
            assertEquals(src.get("mood"), types.get(src.get("_mood")).getElementOid());
            assertType(types.get(src.get("price_multirange")), "public", "price_multirange", Kind.MULTIRANGE, "public.price_multirange");
            assertEquals(src.get("price_range"), types.get(src.get("price_multirange")).getElementOid());
            assertType(types.get(src.get("price_range")), "public", "price_range", Kind.RANGE, "public.price_range");
            assertEquals(NUMERIC, types.get(src.get("price_range")).getElementOid());
            assertType(types.get(NUMERIC), "pg_catalog", "numeric", Kind.BASE, "numeric");
            assertType(types.get(src.get("mood_range")), "public", "mood_range", Kind.RANGE, "public.mood_range");
            assertEquals(src.get("mood"), types.get(src.get("mood_range")).getElementOid());

            Set<Integer> sourceOids = new HashSet<>(src.values());
            for (TypeDescription type : response.getTypesList()) {
                List<Integer> referenced = new ArrayList<>(List.of(type.getOid(), type.getBaseOid(), type.getElementOid()));
                type.getAttributesList().forEach(a -> referenced.add(a.getOid()));
                for (int oid : referenced) {
                    assertTrue(oid < 16384 || sourceOids.contains(oid),
                            () -> "OID " + oid + " in the description of " + type.getSqlName() + " is not a source OID");
                }
            }
        }
    }

    @Test
    void describeTypes_ofOidsTheSourceNeverAssigned_listsThemUnknown_evenTheReplicasOwn(TestDatabase source, TestDatabase replica)
            throws Exception {
        try (AgentServiceFixture agent = seeded(source, replica)) {
            int sourceMood = oids(source).get("mood");
            int replicaMood = oids(replica).get("mood");
            int huge = (int) 4_000_000_000L;

            DescribeTypesResponse response = agent.blocking().describeTypes(DescribeTypesRequest.newBuilder()
                    .addOids(replicaMood).addOids(sourceMood).addOids(huge).addOids(0).addOids(sourceMood).build());

            assertEquals(List.of(replicaMood, huge, 0), response.getUnknownOidsList());
            assertEquals(List.of(sourceMood), response.getTypesList().stream().map(TypeDescription::getOid).toList(),
                    "the known type once, however often it was asked for");
        }
    }

    @Test
    void describeTypes_withNoOidsOrMoreThanTheLimit_isInvalidArgument_andTheLimitItselfIsServed(TestDatabase replica) throws Exception {
        try (AgentServiceFixture agent = AgentServiceFixture.start(replica, grpc, Clock.systemUTC())) {
            StatusRuntimeException empty = assertThrows(StatusRuntimeException.class,
                    () -> agent.blocking().describeTypes(DescribeTypesRequest.getDefaultInstance()));
            assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
            assertEquals("the request lists no type OIDs", empty.getStatus().getDescription());

            StatusRuntimeException tooMany = assertThrows(StatusRuntimeException.class, () -> agent.blocking().describeTypes(
                    DescribeTypesRequest.newBuilder().addAllOids(range(TypeCatalog.MAX_OIDS + 1)).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, tooMany.getStatus().getCode());
            assertEquals("the request lists 10001 type OIDs, more than the 10000 one request may ask for",
                    tooMany.getStatus().getDescription());

            DescribeTypesResponse limit = agent.blocking().describeTypes(
                    DescribeTypesRequest.newBuilder().addAllOids(range(TypeCatalog.MAX_OIDS)).build());
            assertEquals(TypeCatalog.MAX_OIDS, limit.getUnknownOidsCount());
        }
    }

    /** {@code n} OIDs no database has. */
    private static List<Integer> range(int n) {
        return IntStream.range(2_000_000_000, 2_000_000_000 + n).boxed().toList();
    }

    /** Initialises {@code source}, seeds {@code replica} from it and serves the Agent service on the replica. */
    private AgentServiceFixture seeded(TestDatabase source, TestDatabase replica) throws Exception {
        source.execute(SOURCE);
        replica.execute(REPLICA_BEFORE_SEED);
        try (Connection c = source.connect()) {
            new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(source.name())).init(c);
        }
        try {
            new Seeder(SeedSettings.of(PostgresUrl.parse(source.jdbcUrl()), PostgresUrl.parse(replica.jdbcUrl()))
                    .withSlotWait(Duration.ofSeconds(30)), line -> { }).run();
        } finally {
            source.execute("SELECT pg_drop_replication_slot('" + source.name() + "')");
        }
        return AgentServiceFixture.start(replica, grpc, Clock.systemUTC());
    }

    /** The user types of schema public, and their arrays, by name. */
    private static Map<String, Integer> oids(TestDatabase db) throws Exception {
        try (Connection c = db.connect();
                PreparedStatement s = c.prepareStatement("SELECT typname::text, oid::bigint FROM pg_type WHERE typnamespace = 'public'::regnamespace");
                ResultSet r = s.executeQuery()) {
            Map<String, Integer> oids = new HashMap<>();
            while (r.next()) {
                oids.put(r.getString(1), (int) r.getLong(2));
            }
            return oids;
        }
    }

    private static TypeAttribute attribute(String name, int oid) {
        return TypeAttribute.newBuilder().setName(name).setOid(oid).build();
    }

    private static void assertType(TypeDescription type, String schema, String name, Kind kind, String sqlName) {
        assertEquals(List.of(schema, name, kind, sqlName), List.of(type.getSchema(), type.getName(), type.getKind(), type.getSqlName()),
                () -> "type " + type);
    }
}
