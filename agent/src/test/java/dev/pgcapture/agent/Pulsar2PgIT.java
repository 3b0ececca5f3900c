package dev.pgcapture.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.replica.ApplySettings;
import dev.pgcapture.agent.replica.DumpInterlock;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPostgres;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pulsar2pg against real PostgreSQL and Pulsar: a replica fed from pg2pulsar's topic. */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class Pulsar2PgIT {

    @Test
    void pulsar2pg_10000MixedTransactions_replicaEqualsSourceTableByTable(TestPostgres postgres, TestDatabase source, TestPulsar pulsar)
            throws Exception {
        source.execute(MixedWorkload.DDL);
        TestDatabase replica = postgres.newDatabase();
        try (ReplicaFixture fixture = ReplicaFixture.start(source, replica, pulsar, ApplySettings.defaults())) {
            long seed = System.nanoTime();
            System.out.println("pulsar2pg mixed workload seed " + seed);
            long started = System.nanoTime();
            new MixedWorkload(source, seed).run(10_000, 6_000);
            Checkpoint last = fixture.awaitCaughtUp();
            System.out.println("pulsar2pg: 10,000 mixed source transactions written and applied in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");

            for (String table : MixedWorkload.TABLES) {
                fixture.assertSameRows(table);
            }
            assertEquals(last.lsn(), fixture.position().checkpoint().lsn(), "commit LSN in pgcapture.sources");
            assertEquals(last, fixture.position().checkpoint(), "the checkpoint in pgcapture.sources is the last Commit's");
            assertTrue(ReplicaFixture.rows(replica, "public.events").size() > 100, "events were written");
        }
    }

    @Test
    void pulsar2pg_truncateCascadeOfTwoLinkedTables_arrivesWhole(TestPostgres postgres, TestDatabase source, TestPulsar pulsar)
            throws Exception {
        source.execute(MixedWorkload.DDL);
        TestDatabase replica = postgres.newDatabase();
        try (ReplicaFixture fixture = ReplicaFixture.start(source, replica, pulsar, ApplySettings.defaults())) {
            source.execute("INSERT INTO parents SELECT g, 'p' || g FROM generate_series(1, 50) g",
                    "INSERT INTO children SELECT g, g, 'c' FROM generate_series(1, 50) g");
            fixture.awaitCaughtUp();
            assertEquals(50, ReplicaFixture.rows(replica, "public.children").size());

            source.execute("BEGIN; INSERT INTO parents VALUES (51, 'p51'); INSERT INTO children VALUES (51, 51, 'c'); "
                    + "TRUNCATE parents RESTART IDENTITY CASCADE; INSERT INTO parents VALUES (1, 'after'); COMMIT");
            fixture.awaitCaughtUp();

            assertEquals(List.of("(1,after)"), ReplicaFixture.rows(replica, "public.parents"));
            assertEquals(List.of(), ReplicaFixture.rows(replica, "public.children"));
            fixture.assertSameRows("public.parents");
            fixture.assertSameRows("public.children");
        }
    }

    @Test
    void pulsar2pg_transactionLargerThanTheApplierBuffers_appliesWholeInOneCommit(TestPostgres postgres, TestDatabase source,
            TestPulsar pulsar) throws Exception {
        source.execute(MixedWorkload.DDL);
        TestDatabase replica = postgres.newDatabase();
        try (ReplicaFixture fixture = ReplicaFixture.start(source, replica, pulsar, ApplySettings.defaults())) {
            source.execute("BEGIN; INSERT INTO parents SELECT g, 'p' FROM generate_series(1, 15000) g; "
                    + "UPDATE parents SET name = 'q' WHERE id % 3 = 0; DELETE FROM parents WHERE id % 5 = 0; COMMIT");
            Checkpoint last = fixture.awaitCaughtUp();

            fixture.assertSameRows("public.parents");
            assertEquals(last, fixture.position().checkpoint());
        }
    }

    @Test
    void pulsar2pg_secondApplierOnTheSameReplica_failsNamingTheHolder(TestPostgres postgres, TestDatabase source, TestPulsar pulsar)
            throws Exception {
        source.execute(MixedWorkload.DDL);
        TestDatabase replica = postgres.newDatabase();
        try (ReplicaFixture fixture = ReplicaFixture.start(source, replica, pulsar, ApplySettings.defaults())) {
            source.execute("INSERT INTO parents VALUES (1, 'one')");
            fixture.awaitCaughtUp();

            Pulsar2Pg second = new Pulsar2Pg(fixture.settings(), AgentRunner.Backoff.standard(), DumpInterlock.NONE, null);
            FatalAgentException e = org.junit.jupiter.api.Assertions.assertThrows(FatalAgentException.class, second::run);
            assertTrue(e.getMessage().contains("another pgcapture applier or seed is writing to this replica database (backend pid "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("application \"pgcapture pulsar2pg\""), e.getMessage());

            source.execute("INSERT INTO parents VALUES (2, 'two')");
            fixture.awaitCaughtUp();
            fixture.assertSameRows("public.parents");
        }
    }

    @Test
    void pulsar2pg_changeThatCannotApply_stopsNamingLsnTableAndReason_checkpointStaysBeforeIt(TestPostgres postgres, TestDatabase source,
            TestPulsar pulsar) throws Exception {
        source.execute(MixedWorkload.DDL);
        TestDatabase replica = postgres.newDatabase();
        try (ReplicaFixture fixture = ReplicaFixture.start(source, replica, pulsar, ApplySettings.defaults())) {
            source.execute("INSERT INTO accounts VALUES (1, 'one', 1, 'doc')");
            Checkpoint applied = fixture.awaitCaughtUp();
            replica.execute("ALTER TABLE accounts DROP COLUMN owner");

            Lsn before = ReplicaFixture.insertLsn(source);
            source.execute("INSERT INTO accounts VALUES (2, 'two', 2, 'doc')");
            Lsn after = ReplicaFixture.insertLsn(source);

            Throwable failure = fixture.awaitApplierFailure();
            FatalAgentException fatal = assertInstanceOf(FatalAgentException.class, failure);
            String message = fatal.getMessage();
            Lsn named = Lsn.parse(message.replaceFirst("(?s)^cannot apply the source transaction committed at (\\S+) .*$", "$1"));
            assertTrue(named.isAfter(before) && named.isBefore(after), "the LSN named, " + named + ", is the failing commit's: " + message);
            assertTrue(message.contains("to table public.accounts"), message);
            assertTrue(message.contains("column \"owner\" of relation \"accounts\" does not exist"), message);
            assertEquals(applied, fixture.position().checkpoint(), "the checkpoint moved past the change that failed");
            assertEquals(1, ReplicaFixture.rows(replica, "public.accounts").size());
        }
    }
}
