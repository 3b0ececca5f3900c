package dev.pgcapture.bench;

import dev.pgcapture.embedded.LocalPostgres;
import dev.pgcapture.embedded.LocalPulsar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.pulsar.PulsarVersion;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.PulsarClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark harness: runs the chosen scenarios side by side in one JVM on this machine
 * (embedded PostgreSQL, in-process Pulsar broker) and writes a Markdown report with the machine,
 * the command, every run's figure, medians and ratios. {@code hack/bench} is the way to run it.
 */
@Command(name = "hack/bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmarks pgcapture against its peers on this machine and writes a Markdown report.")
public final class Main implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    /** The scenarios. */
    enum Scenario { capture, framing, apply, latency, dump, wire, jmh }

    @Option(names = "--scenarios", split = ",", defaultValue = "capture,framing,apply,latency,dump,wire,jmh", description = "Scenarios to run (default: ${DEFAULT-VALUE}).")
    List<Scenario> scenarios;

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs per scenario and peer; the report gives their median (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--rows", defaultValue = "1000000", description = "capture: rows inserted per run (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--updates", defaultValue = "0", description = "capture: rows then updated in one transaction, e.g. 500000 (default: ${DEFAULT-VALUE}).")
    int updates;

    @Option(names = "--transactions", defaultValue = "4", description = "capture: transactions the inserts are split into (default: ${DEFAULT-VALUE}).")
    int transactions;

    @Option(names = "--warmup-rows", defaultValue = "500000", description = "capture: rows of the untimed warm-up run, 0 for none (default: ${DEFAULT-VALUE}).")
    int warmupRows;

    @Option(names = "--pg-recvlogical", defaultValue = "/usr/bin/pg_recvlogical", description = "The pg_recvlogical executable (default: ${DEFAULT-VALUE}).")
    Path recvlogical;

    @Option(names = "--messages", defaultValue = "1000000", description = "framing: messages per run (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--changes-per-transaction", defaultValue = "100", description = "framing: changes between Begin and Commit (default: ${DEFAULT-VALUE}).")
    int changesPerTransaction;

    @Option(names = "--warmup-messages", defaultValue = "500000", description = "framing: messages of each design's untimed warm-up run (default: ${DEFAULT-VALUE}).")
    int warmupMessages;

    @Option(names = "--pack-bytes", defaultValue = "131072", description = "framing: the packing design's largest pack (default: ${DEFAULT-VALUE}).")
    int packBytes;

    @Option(names = "--big-bytes", defaultValue = "6000000", description = "framing: size of the big change (default: ${DEFAULT-VALUE}).")
    int bigBytes;

    @Option(names = "--small-after-big", defaultValue = "100", description = "framing: small transactions right after the big change (default: ${DEFAULT-VALUE}).")
    int smallAfterBig;

    @Option(names = "--apply-transactions", defaultValue = "10000", description = "apply: single-row source transactions per run (default: ${DEFAULT-VALUE}).")
    int applyTransactions;

    @Option(names = "--latency-rates", split = ",", defaultValue = "1000,5000", description = "latency: single-row transactions per second, each rate measured in turn (default: ${DEFAULT-VALUE}).")
    List<Integer> latencyRates;

    @Option(names = "--latency-seconds", defaultValue = "30", description = "latency: seconds measured per rate and run (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--latency-warmup-seconds", defaultValue = "10", description = "latency: untimed warm-up at the first rate (default: ${DEFAULT-VALUE}).")
    int latencyWarmupSeconds;

    @Option(names = "--latency-native", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "latency: native logical replication applies the same load at the same time, as reference (default: ${DEFAULT-VALUE}; --no-latency-native to leave it out).")
    boolean latencyNative;

    @Option(names = "--rows-dump", defaultValue = "1000000", description = "dump: rows of the dumped table (default: ${DEFAULT-VALUE}).")
    int rowsDump;

    @Option(names = "--dump-warmup-rows", defaultValue = "100000", description = "dump: rows of the untimed warm-up table, 0 for none (default: ${DEFAULT-VALUE}).")
    int dumpWarmupRows;

    @Option(names = "--dump-pages-per-chunk", defaultValue = "0", description = "dump: pages per chunk, 0 for the controller's default (default: ${DEFAULT-VALUE}).")
    int dumpPagesPerChunk;

    @Option(names = "--wire-rows", defaultValue = "10000", description = "wire: rows inserted into each of its two tables per run (default: ${DEFAULT-VALUE}).")
    int wireRows;

    @Option(names = "--jmh-include", defaultValue = "dev\\.pgcapture\\..*Benchmark", description = "jmh: a regular expression over the benchmarks to run (default: ${DEFAULT-VALUE}).")
    String jmhInclude;

    @Option(names = "--jmh-iterations", defaultValue = "5", description = "jmh: measured iterations of 2 s per benchmark, after 3 warm-up ones (default: ${DEFAULT-VALUE}).")
    int jmhIterations;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "The longest one drain may take, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--out", defaultValue = "bench/results", description = "Directory of the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--work-dir", description = "Where PostgreSQL and Pulsar keep their data (default: a new temporary directory).")
    Path workDir;

    public static void main(String[] args) {
        // The in-process broker leaves non-daemon threads behind: exit explicitly.
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Set<Scenario> chosen = scenarios.isEmpty() ? EnumSet.noneOf(Scenario.class) : EnumSet.copyOf(scenarios);
        CaptureScenario.Options captureOptions = new CaptureScenario.Options(rows, updates, transactions, runs, warmupRows, recvlogical, timeout);
        FramingScenario.Options framingOptions = new FramingScenario.Options(messages, changesPerTransaction, runs, warmupMessages, packBytes,
                bigBytes, smallAfterBig);
        ApplyScenario.Options applyOptions = new ApplyScenario.Options(applyTransactions, runs, timeout);
        LatencyScenario.Options latencyOptions = new LatencyScenario.Options(latencyRates, latencySeconds, latencyWarmupSeconds, latencyNative, runs, timeout);
        DumpScenario.Options dumpOptions = new DumpScenario.Options(rowsDump, Math.min(dumpWarmupRows, rowsDump), dumpPagesPerChunk, runs, timeout);
        WireScenario.Options wireOptions = new WireScenario.Options(wireRows, runs, timeout);
        if (chosen.contains(Scenario.capture) && !Files.isExecutable(recvlogical)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--pg-recvlogical " + recvlogical + " is not an executable file");
        }
        String command = System.getProperty("pgcapture.bench.command", "hack/bench " + String.join(" ", rawArgs()));
        Path dir = workDir != null ? workDir : Files.createTempDirectory("pgcapture-bench");
        Instant startedAt = Instant.now();
        long started = System.nanoTime();

        long infraStarted = System.nanoTime();
        try (LocalPostgres postgres = LocalPostgres.start(LocalPostgres.Settings.ephemeral(dir.resolve("postgres")));
             LocalPulsar pulsar = LocalPulsar.start(LocalPulsar.Settings.ephemeral(dir.resolve("pulsar")));
             PulsarAdmin admin = PulsarAdmin.builder().serviceHttpUrl(pulsar.httpUrl()).build();
             PulsarClient client = PulsarClient.builder().serviceUrl(pulsar.serviceUrl()).build()) {
            double infraSeconds = (System.nanoTime() - infraStarted) / 1e9;
            Report.Environment environment = new Report.Environment(Machine.describe(), postgresVersion(postgres),
                    PulsarVersion.getVersion(), recvlogicalVersion(), command, startedAt, infraSeconds);
            CaptureScenario.Result capture = null;
            FramingScenario.Result framing = null;
            ApplyScenario.Result apply = null;
            if (chosen.contains(Scenario.capture)) {
                capture = new CaptureScenario(postgres, pulsar, admin, captureOptions).run();
            }
            if (chosen.contains(Scenario.framing)) {
                framing = new FramingScenario(client, admin, framingOptions).run();
            }
            if (chosen.contains(Scenario.apply)) {
                apply = new ApplyScenario(postgres, pulsar, admin, applyOptions).run();
            }
            List<String> sections = new ArrayList<>();
            if (chosen.contains(Scenario.latency)) {
                sections.add(SdkReport.latency(new LatencyScenario(new BenchDatabases(postgres), pulsar, admin, latencyOptions).run()));
            }
            if (chosen.contains(Scenario.dump)) {
                sections.add(SdkReport.dump(new DumpScenario(new BenchDatabases(postgres), pulsar, admin, dumpOptions).run()));
            }
            if (chosen.contains(Scenario.wire)) {
                sections.add(new WireReport(new WireScenario(postgres, pulsar, admin, wireOptions).run()).markdown());
            }
            if (chosen.contains(Scenario.jmh)) {
                JmhScenario.Options jmhOptions = new JmhScenario.Options(jmhInclude, 3, jmhIterations, 2);
                sections.add(JmhScenario.markdown(jmhOptions, new JmhScenario(jmhOptions).run()));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Report report = new Report(environment, capture, framing, apply, took);
            sections.forEach(report::section);
            String markdown = report.markdown();
            Files.createDirectories(out);
            Path file = out.resolve("bench-" + startedAt.toString().replace(":", "").replaceAll("\\.\\d+", "") + ".md");
            Files.writeString(file, markdown);
            System.out.println(markdown);
            log.info("report written to {} (the whole run took {} s)", file, took.toSeconds());
            return 0;
        }
    }

    private List<String> rawArgs() {
        return new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static String postgresVersion(LocalPostgres postgres) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/postgres",
                LocalPostgres.SUPERUSER, "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT version()")) {
            r.next();
            return r.getString(1);
        }
    }

    private String recvlogicalVersion() {
        try {
            Process p = new ProcessBuilder(recvlogical.toString(), "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return version;
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
