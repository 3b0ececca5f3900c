package dev.pgcapture.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The Markdown sections of the scenarios that run the whole system to a consumer SDK: {@code latency} and {@code dump}. */
final class SdkReport {

    private static final String STACK = "The whole system runs in this JVM from production classes, every gRPC service on a loopback"
            + " TCP port (Netty): `pg2pulsar` capturing the source into the in-process broker, a replica seeded by `seed` and kept by"
            + " `pulsar2pg` with the Agent service, the controller (its store a database of the same server) and the gateway (static"
            + " resolver); the consumer is `PgCapture.newConsumer` over a plaintext channel to the gateway. Everything shares the"
            + " machine's cores with PostgreSQL and the broker.";

    private final StringBuilder md = new StringBuilder();

    static String latency(LatencyScenario.Result result) {
        SdkReport r = new SdkReport();
        LatencyScenario.Options o = result.options();
        r.line("## Scenario `latency`: from a source commit to the consumer SDK's handler");
        r.line();
        r.line(STACK);
        r.line();
        r.line(String.format(Locale.ROOT, "Table `(id bigint primary key, n int, payload text /* 32 bytes */, at timestamptz)`. One load"
                + " generator connection sends single-row INSERTs in autocommit on a fixed schedule (open loop: the i-th is due at"
                + " start + i / rate; when behind, it sends at once), %d s per rate, after an untimed warm-up of %d s at %,d/s. The consumer"
                + " (exact mode, one synchronous handler of a model record, acknowledging on return) handles every row; a rate's figures are"
                + " taken once the handler has had all of its rows, before the next rate starts.", o.seconds(), o.warmupSeconds(),
                o.rates().getFirst()));
        r.line();
        r.line("- **latency** = the handler's entry − the moment the client's autocommit INSERT returned (both `System.nanoTime()` in this"
                + " JVM; the row's key correlates them). It includes pg2pulsar's decoding and publishing (1 ms batching), the broker, the"
                + " gateway's subscription and delivery, gRPC to the SDK, decoding and binding the row.");
        r.line("- **by commit timestamp** = the handler's wall clock − the source's commit time carried by the change (millisecond"
                + " precision, so up to 1 ms too high), as a cross-check; both clocks are this machine's.");
        r.line("- **achieved rate** = transactions / (first send → last commit returned): what one connection managed next to the rest.");
        r.line("- **catch-up** = from the last commit returned until the handler had every row of the rate.");
        r.line("- The generator's session runs with `synchronous_commit = on` (PostgreSQL's default; the embedded server's is off): COMMIT"
                + " returns once its WAL is flushed (fsync is off) and the walsenders are woken then. With it off, WAL reaches them only"
                + " when the WAL writer flushes, every 200 ms, which dominated the latency (p50 ~170 ms at both rates).");
        if (o.nativePeer()) {
            r.line("- **native logical replication** (reference, running at the same time on the same load): a subscription from a"
                    + " second replica database of the same server, its own slot and publication of the table; its latency = the"
                    + " replica's `clock_timestamp()` when the apply worker inserted the row (a column default) − the client's wall"
                    + " clock when COMMIT returned. It ends at the row applied in a replica, pgcapture's at a handler in the consumer.");
        }
        r.line();
        r.line("| target rate/s | peer | achieved rate/s | p50 ms | p99 ms | max ms | catch-up ms |");
        r.line("|---|---|---|---|---|---|---|");
        for (List<LatencyScenario.Run> runs : result.byRate()) {
            String rate = String.format(Locale.ROOT, "%,d", runs.getFirst().rate());
            String achieved = samples(runs, LatencyScenario.Run::achievedRate).describe("%,.0f");
            r.line("| " + rate + " | pgcapture → SDK handler | " + achieved
                    + " | " + samples(runs, LatencyScenario.Run::p50Ms).describe("%.2f")
                    + " | " + samples(runs, LatencyScenario.Run::p99Ms).describe("%.2f")
                    + " | " + samples(runs, LatencyScenario.Run::maxMs).describe("%.1f")
                    + " | " + samples(runs, LatencyScenario.Run::catchUpMs).describe("%.1f") + " |");
            r.line("| " + rate + " | pgcapture, by commit timestamp | " + achieved
                    + " | " + samples(runs, LatencyScenario.Run::byCommitTimeP50Ms).describe("%.2f")
                    + " | " + samples(runs, LatencyScenario.Run::byCommitTimeP99Ms).describe("%.2f") + " | | |");
            if (o.nativePeer()) {
                r.line("| " + rate + " | native logical replication → replica | " + achieved
                        + " | " + samples(runs, x -> x.nativeLatency().p50Ms()).describe("%.2f")
                        + " | " + samples(runs, x -> x.nativeLatency().p99Ms()).describe("%.2f")
                        + " | " + samples(runs, x -> x.nativeLatency().maxMs()).describe("%.1f")
                        + " | " + samples(runs, x -> x.nativeLatency().catchUpMs()).describe("%.1f") + " |");
            }
        }
        r.line();
        if (o.nativePeer()) {
            r.line("**Ratio pgcapture p50 / native p50: " + String.join("; ", result.byRate().stream().map(runs -> String.format(Locale.ROOT,
                    "%,d/s %s", runs.getFirst().rate(), samples(runs, x -> x.p50Ms() / x.nativeLatency().p50Ms()).describe("%.1f"))).toList())
                    + ".**");
            r.line();
        }
        return r.md.toString();
    }

    static String dump(DumpScenario.Result result) {
        SdkReport r = new SdkReport();
        DumpScenario.Options o = result.options();
        List<DumpScenario.Run> runs = result.runs();
        r.line("## Scenario `dump`: a table dumped to a consumer SDK vs. `COPY … TO STDOUT (FORMAT binary)`");
        r.line();
        r.line(STACK);
        r.line();
        r.line(String.format(Locale.ROOT, "Table `(id bigint primary key, n int, payload text /* 100 bytes */, at timestamptz)`, %,d rows"
                + " (%,.0f MB on the replica), filled on the source before capture, copied to the replica by `seed`, then `VACUUM (ANALYZE)`"
                + " there: both peers read the same settled table on the same replica. Per run the peers go one after the other, the dump"
                + " first in odd runs; an untimed warm-up of both on a %,d-row table comes first.", o.rows(), result.tableBytes() / 1048576.0,
                o.warmupRows()));
        r.line();
        r.line(String.format(Locale.ROOT, "- **pgcapture dump**: a consumer (exact mode, a new URI and subscription per run, one synchronous"
                + " handler binding every row to a model record, acknowledging on return) is connected first and is live (it has handled a"
                + " change committed at the source after it subscribed); then `ScheduleTables` to the"
                + " controller (pages per chunk: %s). The gateway pauses the consumer's stream, the agent opens its snapshot on the"
                + " replica and streams the chunks; timed from sending `ScheduleTables` until the handler has had all rows (each exactly"
                + " once, checked) **and** the controller lists every chunk done (polled every 5 ms once the last row arrived), i.e. every"
                + " row acknowledged.", o.pagesPerChunk() == 0 ? "the controller's default" : Integer.toString(o.pagesPerChunk())));
        r.line("- **COPY**: `COPY bench_dump TO STDOUT (FORMAT binary)` on the replica through pgjdbc's `CopyManager.copyOut` into"
                + " `OutputStream.nullOutputStream()`; timed for the whole statement (connection already open).");
        r.line("- start-up: from `ScheduleTables` until the handler had the first row: planning, the gateway pulling the chunk,"
                + " pausing the stream at a transaction boundary, the agent's snapshot, and the catch-up that ends after the gateway's"
                + " quiet time (1 s by default) when no later change shows the snapshot's position."
                + " \"streaming\" rows/s counts from the first row to the last.");
        r.line();
        r.line("| peer | rows/s | seconds | start-up s | rows/s streaming | chunks |");
        r.line("|---|---|---|---|---|---|");
        r.line("| pgcapture dump | " + samples(runs, x -> o.rows() / x.completeSeconds()).describe("%,.0f")
                + " | " + samples(runs, DumpScenario.Run::completeSeconds).describe("%.2f")
                + " | " + samples(runs, DumpScenario.Run::firstRowSeconds).describe("%.2f")
                + " | " + samples(runs, x -> o.rows() / (x.lastRowSeconds() - x.firstRowSeconds())).describe("%,.0f")
                + " | " + samples(runs, x -> x.chunks()).describe("%.0f") + " |");
        r.line("| COPY (binary) | " + samples(runs, x -> o.rows() / x.copySeconds()).describe("%,.0f")
                + " | " + samples(runs, DumpScenario.Run::copySeconds).describe("%.2f") + " | | | |");
        r.line();
        r.line("**Ratio COPY rows/s / pgcapture dump rows/s: " + samples(runs, x -> x.completeSeconds() / x.copySeconds()).describe("%.1f")
                + "** (how many times faster COPY read the table; streaming only: "
                + samples(runs, x -> (x.lastRowSeconds() - x.firstRowSeconds()) / x.copySeconds()).describe("%.1f") + ").");
        r.line();
        return r.md.toString();
    }

    private static <T> Samples samples(List<T> runs, ToDoubleFunction<T> figure) {
        return new Samples(runs.stream().map(figure::applyAsDouble).toList());
    }

    private void line(String text) {
        md.append(text).append('\n');
    }

    private void line() {
        md.append('\n');
    }
}
