package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code java -jar pgcapture.jar seed} as a real process against a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class SeedProcessIT {

    private static final Duration RUN = Duration.ofSeconds(120);

    @Test
    void seedHelp_describesTheCommand() throws Exception {
        try (JarProcess help = JarProcess.start("seed-help", List.of("seed", "--help"))) {
            assertEquals(0, help.awaitExit(RUN), help.stderr());
            assertTrue(help.stdout().startsWith("Usage: pgcapture seed") && help.stdout().contains("--slot-wait=DURATION"), help.stdout());
        }
    }

    @Test
    void seed_ofASmallDatabase_printsProgressAndTheConsistentPointItRecorded_andIfNewThenDoesNothing(TestDatabase source, TestDatabase replica)
            throws Exception {
        source.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)", "INSERT INTO orders SELECT g, 'n' || g FROM generate_series(1, 1000) g",
                "CREATE TABLE lines (order_id int, n int)", "INSERT INTO lines SELECT g % 100, g FROM generate_series(1, 500) g");
        try (Connection c = source.connect()) {
            new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(source.name()).withReplicaIdentityFull(true)).init(c);
        }
        try (JarProcess seed = JarProcess.start("seed-" + source.name(), List.of("seed", "--source-url", source.jdbcUrl(),
                "--replica-url", replica.jdbcUrl(), "--if-new"))) {
            assertEquals(0, seed.awaitExit(RUN), seed.stderr());

            String out = seed.stdout();
            assertTrue(out.contains("progress: tables 2/2, 1,500 rows"), out);
            assertTrue(out.contains("seeded 2 table(s), 1,500 rows"), out);
            Matcher cp = Pattern.compile("consistent point (\\p{XDigit}+/\\p{XDigit}+): the replica holds").matcher(out);
            assertTrue(cp.find(), out);
            assertEquals(cp.group(1), seededLsn(replica));
            assertEquals("1000", scalar(replica, "SELECT count(*) FROM orders"));

            source.execute("INSERT INTO orders VALUES (1001, 'after the seed')");
            try (JarProcess again = JarProcess.start("seed-again-" + source.name(), List.of("seed", "--source-url", source.jdbcUrl(),
                    "--replica-url", replica.jdbcUrl(), "--if-new"))) {
                assertEquals(0, again.awaitExit(RUN), again.stderr());
                assertTrue(again.stdout().startsWith("nothing to do: ") && again.stdout().contains("is already seeded"), again.stdout());
            }
            assertEquals(cp.group(1), seededLsn(replica));
            assertEquals("1000", scalar(replica, "SELECT count(*) FROM orders"), "a replica already seeded is left as it was");
        } finally {
            source.execute("SELECT pg_drop_replication_slot('" + source.name() + "')");
        }
    }

    private static String seededLsn(TestDatabase replica) throws Exception {
        return scalar(replica, "SELECT seeded_lsn::text FROM pgcapture.sources");
    }

    private static String scalar(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
