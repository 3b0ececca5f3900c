package dev.pgcapture.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

/** Proves the PostgreSQL fixture is real: the selected major, logical WAL, and a binary pgoutput stream. */
@ExtendWith(PostgresExtension.class)
class PostgresFixtureIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L; // 2000-01-01T00:00:00Z in Unix micros

    @Test
    void server_runsTheMajorTheBuildSelected_withLogicalWal(TestPostgres postgres, TestDatabase db) throws Exception {
        int expectedMajor = Integer.parseInt(System.getProperty(TestPostgres.MAJOR_PROPERTY, "17"));
        assertEquals(expectedMajor, postgres.serverVersionNum() / 10_000);
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("SHOW wal_level")) {
            rs.next();
            assertEquals("logical", rs.getString(1));
        }
    }

    @Test
    void newDatabase_givesEachTestItsOwnDatabase(TestPostgres postgres, TestDatabase db) throws Exception {
        TestDatabase other = postgres.newDatabase();
        assertNotEquals(db.name(), other.name());
        db.execute("CREATE TABLE mine (id int)");
        other.execute("CREATE TABLE mine (id int)"); // would fail if they were the same database
    }

    @Test
    void pgoutputSlot_binaryMode_returnsTheWrittenRow(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY, name text, created timestamptz)");
        String publication = db.createPublicationForAllTables();
        String slot = db.createPgoutputSlot();
        Instant created = Instant.parse("2024-05-06T07:08:09.123456Z");
        db.execute("INSERT INTO items VALUES (42, 'héllo', '" + created + "')");

        try (Connection replication = db.connectReplication();
             PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                     .replicationStream().logical()
                     .withSlotName(slot)
                     .withSlotOption("proto_version", "1")
                     .withSlotOption("publication_names", publication)
                     .withSlotOption("binary", "true")
                     .start()) {
            Relation relation = null;
            List<Column> row = null;
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (row == null && System.nanoTime() < deadline) {
                ByteBuffer message = stream.readPending();
                if (message == null) {
                    Thread.sleep(10);
                    continue;
                }
                byte type = message.get();
                ByteBuffer body = message.slice();
                if (type == 'R') {
                    relation = Relation.read(body);
                } else if (type == 'I') {
                    row = readInsert(body);
                }
            }
            assertNotNull(row, "no INSERT arrived within " + READ_TIMEOUT);
            assertNotNull(relation, "the INSERT arrived without its relation");
            assertEquals("public.items", relation.name());
            assertEquals(List.of("id", "name", "created"), relation.columns());

            for (Column column : row) {
                assertEquals('b', column.kind(), "binary mode sends every non-null built-in value as 'b'");
            }
            assertEquals(42, ByteBuffer.wrap(row.get(0).value()).getInt());
            assertEquals("héllo", new String(row.get(1).value(), StandardCharsets.UTF_8));
            long micros = created.getEpochSecond() * 1_000_000 + created.getNano() / 1_000 - PG_EPOCH_MICROS;
            assertEquals(micros, ByteBuffer.wrap(row.get(2).value()).getLong());
        }
    }

    /** The parts of a pgoutput Relation ('R') message this test reads. */
    private record Relation(String name, List<String> columns) {

        static Relation read(ByteBuffer body) {
            body.getInt(); // relation OID
            String name = readString(body) + "." + readString(body);
            body.get(); // replica identity
            int count = body.getShort();
            List<String> columns = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                body.get(); // flags
                columns.add(readString(body));
                body.getInt(); // type OID
                body.getInt(); // type modifier
            }
            return new Relation(name, columns);
        }
    }

    private record Column(char kind, byte[] value) {
    }

    private static List<Column> readInsert(ByteBuffer body) {
        body.getInt(); // relation OID
        assertEquals('N', (char) body.get());
        int count = body.getShort();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            char kind = (char) body.get();
            byte[] value = null;
            if (kind == 't' || kind == 'b') {
                value = new byte[body.getInt()];
                body.get(value);
            }
            columns.add(new Column(kind, value));
        }
        return columns;
    }

    private static String readString(ByteBuffer body) {
        int start = body.position();
        while (body.get() != 0) {
            // scan to the terminating NUL
        }
        return new String(body.array(), body.arrayOffset() + start, body.position() - start - 1, StandardCharsets.UTF_8);
    }
}
