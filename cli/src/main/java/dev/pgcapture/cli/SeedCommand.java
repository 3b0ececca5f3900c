package dev.pgcapture.cli;

import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.replica.ReplicaLock;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.seed.SeedRefusedException;
import dev.pgcapture.agent.seed.SeedResult;
import dev.pgcapture.agent.seed.SeedSettings;
import dev.pgcapture.agent.seed.Seeder;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.Optional;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture seed}: copies the source into an empty replica inside one exported snapshot
 * and records the consistent point, so that {@code pulsar2pg} applies exactly the transactions
 * committed at or after it. Prints progress while it runs and a summary with the consistent point;
 * exit code 1 when refused (saying why) or failed.
 */
@Command(name = "seed", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Bring an empty replica database to a consistent copy of the source and record the source LSN it "
                + "corresponds to (the consistent point cp of a temporary slot's exported snapshot): the replica then takes "
                + "every transaction committed at or after cp from the topic. Run `pgcapture init` on the source first. "
                + "With --tables on a seeded replica, copies just those tables again (after a table rewrite on the source).")
final class SeedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--source-url", paramLabel = "URL",
            description = "The source database: postgres://user:password@host:port/db, postgresql://… or jdbc:postgresql://… (required).")
    String sourceUrl;

    @Option(names = "--replica-url", paramLabel = "URL", description = "The replica database, in the same forms (required).")
    String replicaUrl;

    @Option(names = "--tables", paramLabel = "SCHEMA.TABLE[,…]",
            description = "Seed only these tables; on a seeded replica, copy them again (a table marked needs_seed needs no "
                    + "--force). Default: every table the publication publishes.")
    String tables;

    @Option(names = "--force", description = "Seed a replica that already holds a checkpoint: drops every table pgcapture "
            + "replicated there and seeds from scratch; with --tables, copies those tables again even if not marked needs_seed.")
    boolean force;

    @Option(names = "--if-new", description = "Do nothing and exit 0 when the replica already holds a checkpoint, for start-up "
            + "scripts that run seed every time (docker-compose.yml does). Not with --force or --tables.")
    boolean ifNew;

    @Option(names = "--slot-wait", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long creating the temporary slot may wait for transactions running on the source; then seed "
                    + "fails naming them.")
    Duration slotWait;

    @Option(names = "--publication", paramLabel = "NAME", defaultValue = CaptureSettings.DEFAULT_NAME,
            description = "The publication pg2pulsar streams; its tables are the ones seeded.")
    String publication;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "" + SeedSettings.DEFAULT_JOBS,
            description = "Tables copied at once, each over its own pair of connections, all in the same snapshot.")
    int jobs;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How often progress is printed.")
    Duration progressInterval;

    @Override
    public Integer call() throws InterruptedException {
        SeedSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (ifNew && (force || !settings.tables().isEmpty())) {
            throw usage("--if-new cannot be combined with --force or --tables");
        }
        try {
            if (ifNew) {
                Optional<ReplicaPosition> position;
                try (Connection c = settings.replica().connect()) {
                    position = ReplicaPosition.find(c);
                }
                if (position.isPresent()) {
                    out.println("nothing to do: " + settings.replica() + " is already seeded (checkpoint " + position.get().checkpoint() + ")");
                    out.flush();
                    return 0;
                }
            }
            SeedResult result = new Seeder(settings, line -> {
                out.println(line);
                out.flush();
            }).run();
            summary(out, result);
            out.flush();
            return 0;
        } catch (SeedRefusedException e) {
            err.println("seed refused: " + e.getMessage());
            err.flush();
            return 1;
        } catch (ReplicaLock.ReplicaBusyException e) {
            err.println("seed refused: " + e.getMessage());
            err.flush();
            return 1;
        } catch (SQLException e) {
            err.println("seed failed: " + SourceOptions.message(e));
            err.flush();
            return 1;
        }
    }

    private static void summary(PrintWriter out, SeedResult result) {
        long rows = result.tables().stream().mapToLong(SeedResult.SeededTable::rows).sum();
        Lsn cp = result.consistentPoint();
        out.printf(Locale.ROOT, "%s %d table(s), %,d rows, %s in %.1fs%n", result.firstSeed() ? "seeded" : "re-seeded",
                result.tables().size(), rows, humanBytes(result.progress().bytes()), result.progress().elapsed().toMillis() / 1000.0);
        for (SeedResult.SeededTable t : result.retried()) {
            out.println("table " + t.name() + " changed on the source during the seed and was copied in a later snapshot: it takes "
                    + "changes from " + t.applyFrom());
        }
        if (result.firstSeed()) {
            out.println("consistent point " + cp + ": the replica holds every source transaction committed before it; its checkpoint is "
                    + new Lsn(cp.value() - 1) + "|ffffffff, so pulsar2pg applies every transaction committed at or after " + cp);
        } else {
            out.println("consistent point " + cp + ": these tables take changes committed at or after it; the replica's checkpoint "
                    + "is unchanged");
        }
    }

    private static String humanBytes(long n) {
        return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f kB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024.0));
    }

    private SeedSettings settings() {
        PostgresUrl source = url(sourceUrl, "--source-url", "PGCAPTURE_SOURCE_URL");
        PostgresUrl replica = url(replicaUrl, "--replica-url", "PGCAPTURE_REPLICA_URL");
        List<TableName> tableList;
        try {
            tableList = tables == null || tables.isBlank() ? List.of() : TableName.parseList(tables);
        } catch (IllegalArgumentException e) {
            throw usage("--tables: " + e.getMessage());
        }
        try {
            return new SeedSettings(source, replica, tableList, force, slotWait, publication, jobs, progressInterval);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private PostgresUrl url(String value, String option, String variable) {
        if (value == null || value.isBlank()) {
            throw usage("Missing required option: '" + option + "=URL' (or " + variable + ")");
        }
        try {
            return PostgresUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
