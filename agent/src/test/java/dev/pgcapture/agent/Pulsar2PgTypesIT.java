package dev.pgcapture.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.pgcapture.agent.replica.ApplySettings;
import dev.pgcapture.agent.replica.TypeOids;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPostgres;
import dev.pgcapture.testkit.TestPulsar;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * User types through pg2pulsar → pulsar2pg: binary arrays, composites and ranges of composites
 * embed the source's type OIDs, which differ on the replica. The applier stages them unchanged:
 * PostgreSQL 14+ accepts user-type OIDs that differ and stores the column's own, so the replica
 * equals the source and holds its own OIDs, which dumps map back with {@code pgcapture.types}.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class Pulsar2PgTypesIT {

    /** The user types, created alike on the source and (later, so with other OIDs) on the replica. */
    private static final String[] TYPES = {
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE TYPE pair AS (n int, m mood, ms mood[])",
        "CREATE DOMAIN posint AS int CHECK (VALUE > 0)",
        "CREATE DOMAIN moods AS mood[]",
        "CREATE TYPE floatrange AS RANGE (subtype = float8)",
        "CREATE TYPE pairrange AS RANGE (subtype = pair)",
    };
    private static final String[] TABLES = {
        """
        CREATE TABLE typed (id int PRIMARY KEY, m mood, ms mood[], p pair, ps pair[], d posint, dm moods,
                            r floatrange, mr floatmultirange, pr pairrange)""",
        "CREATE TABLE typed_nokey (m mood, ms mood[], p pair)",
        "ALTER TABLE typed_nokey REPLICA IDENTITY FULL",
    };
    /** Types and a table created after the applier started: DDL apply records their source OIDs. */
    private static final String[] LATER_TYPES = {
        "CREATE TYPE size AS ENUM ('s', 'm', 'l')",
        "CREATE TYPE parcel AS (s size, ss size[], m mood)",
    };

    @Test
    void pulsar2pg_enumArraysCompositesDomainsAndRanges_replicaEqualsSource(TestPostgres postgres, TestDatabase source,
            TestPulsar pulsar) throws Exception {
        source.execute(TYPES);
        source.execute(TABLES);
        TestDatabase replica = postgres.newDatabase();
        replica.execute(TYPES);
        assertNotEquals(typeOid(source, "mood"), typeOid(replica, "mood"), "the replica's enum has another OID");
        assertNotEquals(typeOid(source, "pair"), typeOid(replica, "pair"), "the replica's composite has another OID");
        try (ReplicaFixture fixture = ReplicaFixture.start(source, replica, pulsar, ApplySettings.defaults())) {
            source.execute("""
                    INSERT INTO typed VALUES
                      (1, 'ok', '{sad,NULL,happy}', ROW(1, 'ok', '{ok,sad}'),
                       ARRAY[ROW(2, 'sad', '{happy}')::pair, NULL, ROW(3, NULL, NULL)::pair], 5, '{happy,NULL}',
                       '[1.5,2.5)', '{[1,2),[3,4)}', pairrange(ROW(1, 'sad', '{}')::pair, ROW(2, 'ok', '{sad}')::pair)),
                      (2, NULL, '{{sad,ok},{NULL,happy}}', NULL, '{}', NULL, '{}', 'empty', '{}', NULL),
                      (3, 'happy', '{}', ROW(NULL, NULL, '{{ok},{sad}}'), NULL, 1, NULL, '(,)', NULL, 'empty'),
                      (4, 'sad', '{ok}', ROW(4, 'sad', NULL), '{}', 2, '{{ok,ok},{sad,NULL}}', NULL, NULL, NULL)""",
                    "INSERT INTO typed_nokey VALUES ('ok', '{sad,NULL}', ROW(1, 'ok', '{ok}')), ('ok', '{sad,NULL}', ROW(1, 'ok', '{ok}')),"
                            + " ('sad', NULL, ROW(2, NULL, '{{happy},{NULL}}'))");
            source.execute("UPDATE typed SET ms = '{happy}', p = ROW(9, 'happy', '{ok}') WHERE id = 1",
                    "UPDATE typed SET d = d + 1, ps = coalesce(ps, '{}') || ROW(4, 'ok', '{}')::pair WHERE id IN (1, 3)",
                    "UPDATE typed SET id = 5, dm = '{sad}' WHERE id = 2",
                    "DELETE FROM typed WHERE id = 4",
                    "UPDATE typed_nokey SET ms = '{{ok},{NULL}}' WHERE m = 'sad'",
                    "DELETE FROM typed_nokey WHERE ctid = (SELECT min(ctid) FROM typed_nokey WHERE m = 'ok')");
            fixture.awaitCaughtUp();

            assertEquals(3, ReplicaFixture.rows(replica, "public.typed").size(), "rows of typed on the replica");
            fixture.assertSameRows("public.typed");
            fixture.assertSameRows("public.typed_nokey");

            replica.execute(LATER_TYPES);
            source.execute(LATER_TYPES);
            source.execute("CREATE TABLE later (id int PRIMARY KEY, s size[], b parcel, bs parcel[])",
                    "ALTER TABLE typed ADD COLUMN ss size[]",
                    "INSERT INTO later VALUES (1, '{s,NULL,l}', ROW('m', '{{s},{l}}', 'ok'), ARRAY[ROW('l', '{}', 'sad')::parcel, NULL]),"
                            + " (2, NULL, NULL, '{}')",
                    "UPDATE later SET b = ROW('s', '{m}', NULL) WHERE id = 2",
                    "UPDATE typed SET ss = '{m,m}' WHERE id = 1");
            fixture.awaitCaughtUp();

            fixture.assertSameRows("public.typed");
            fixture.assertSameRows("public.later");

            // The source's OIDs went in; the replica stores its own, which dumps map back to the source's.
            assertEquals(typeOid(replica, "mood"), embeddedOid(replica, "SELECT array_send(ms) FROM typed WHERE id = 1", 8),
                    "element OID of an applied enum[] value on the replica");
            assertEquals(typeOid(replica, "mood"), embeddedOid(replica, "SELECT record_send(p) FROM typed WHERE id = 1", 16),
                    "OID of the enum attribute of an applied composite value on the replica");
            for (String type : new String[] {"mood", "_mood", "size", "_size", "parcel", "_parcel"}) {
                assertEquals(typeOid(source, type), recordedSourceOid(replica, type), "pgcapture.types' source OID of " + type);
            }
            String parcels = "SELECT array_send(bs) FROM later WHERE id = 1";
            try (Connection c = replica.connect()) {
                int parcelArray = (int) typeOid(replica, "_parcel");
                byte[] dumped = TypeOids.load(c, List.of(parcelArray)).toSourceRewriter().rewrite(parcelArray, bytes(replica, parcels));
                assertArrayEquals(bytes(source, parcels), dumped, "a parcel[] value of a table created by DDL, mapped back for a dump");
            }
        }
    }

    private static byte[] bytes(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getBytes(1);
        }
    }

    /** The 4-byte type OID at {@code offset} of the binary value {@code sql} returns. */
    private static long embeddedOid(TestDatabase db, String sql, int offset) throws SQLException {
        return Integer.toUnsignedLong(ByteBuffer.wrap(bytes(db, sql)).getInt(offset));
    }

    private static long recordedSourceOid(TestDatabase replica, String name) throws SQLException {
        try (Connection c = replica.connect();
             PreparedStatement s = c.prepareStatement("SELECT source_oid FROM pgcapture.types WHERE type_schema = 'public' AND type_name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    private static long typeOid(TestDatabase db, String name) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT oid FROM pg_type WHERE typname = ? AND typnamespace = 'public'::regnamespace")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
