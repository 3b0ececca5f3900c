package dev.pgcapture.agent;

import dev.pgcapture.agent.replica.ApplySettings;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPostgres;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How long pulsar2pg takes to apply a backlog of 10,000 single-row source transactions (the topic
 * full, the applier started afterwards), ending with the replica equal to the source. Prints the
 * time.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class Pulsar2PgSpeedIT {

    private static final int TRANSACTIONS = 10_000;
    private static final String TABLE = "CREATE TABLE rows (id bigint PRIMARY KEY, n int NOT NULL, payload text NOT NULL)";

    @Test
    void apply10000SingleRowTransactionsFromABacklog_replicaEqualsSource(TestPostgres postgres, TestDatabase source,
            TestPulsar pulsar) throws Exception {
        source.execute(TABLE);
        TestDatabase replica = postgres.newDatabase();
        long pulsar2pgMillis;
        try (ReplicaFixture fixture = ReplicaFixture.start(source, replica, pulsar, ApplySettings.defaults())) {
            fixture.stopApplier();
            write(source, 0);
            fixture.awaitCaughtUpInTopic();
            long started = System.nanoTime();
            fixture.startApplier();
            fixture.awaitCaughtUp();
            pulsar2pgMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            fixture.assertSameRows("public.rows");
        }

        System.out.println("apply speed: pulsar2pg applied a backlog of " + TRANSACTIONS + " single-row source transactions in "
                + pulsar2pgMillis + " ms");
    }

    private static void write(TestDatabase db, int from) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("INSERT INTO rows VALUES (?, ?, ?)")) {
            for (int i = from; i < from + TRANSACTIONS; i++) {
                s.setLong(1, i);
                s.setInt(2, i * 7);
                s.setString(3, "row number " + i);
                s.executeUpdate();
            }
        }
    }
}
