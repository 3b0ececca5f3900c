package dev.pgcapture.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Renders scenario {@code wire} as a Markdown section. */
final class WireReport {

    private final WireScenario.Result result;
    private final StringBuilder md = new StringBuilder();

    WireReport(WireScenario.Result result) {
        this.result = result;
    }

    String markdown() {
        WireScenario.Options o = result.options();
        List<WireScenario.Run> runs = result.runs();
        line("## Scenario `wire`: bytes per change, pgcapture's gRPC stream vs. Debezium's JSON");
        line();
        line(String.format(Locale.ROOT, "Per run a fresh database with two tables: `%s (id bigint primary key, n int, payload text /* 100 bytes */,"
                + " at timestamptz)` (the capture scenario's row) and `%s (id bigint primary key, customer_id bigint, email text, full_name text,"
                + " status text, amount numeric(12,2), quantity int, active boolean, tags text[], ref uuid, created_at timestamptz, updated_at"
                + " timestamptz)`; per table %,d rows inserted (transactions of 1,000 rows), then every second row updated (narrow: `n`, `at`;"
                + " wide: `status`, `quantity`, `updated_at`) and every fourth deleted: %,d inserts, %,d updates, %,d deletes in all."
                + " Default replica identity: an update carries the new row, a delete the key, on both sides. Both slots are created before the load.",
                WireScenario.NARROW, WireScenario.WIDE, o.rows(), o.changes(WireTally.Op.INSERT), o.changes(WireTally.Op.UPDATE),
                o.changes(WireTally.Op.DELETE)));
        line();
        line("- **pgcapture gRPC, on the wire**: pg2pulsar publishes the WAL to a topic (binary values); the real gateway (`GatewayService` over a"
                + " `StaticResolver`, default settings, served by `GrpcServer.on` over Netty on loopback) streams it to a `Capture` client over Netty"
                + " that acknowledges every message. Per change: the size gRPC read off the wire for its `CaptureMessage`"
                + " (`ClientStreamTracer.inboundMessageRead`; no compression is negotiated, so it is the protobuf size) **plus gRPC's 5-byte"
                + " message prefix**; HTTP/2 frame headers (9 bytes per DATA frame, which may carry several messages) are not counted here, but in the connection's bytes below.");
        line("- **pgcapture protobuf**: `CaptureMessage.getSerializedSize()` of the same message (change with its checkpoint and commit time),"
                + " no gRPC framing.");
        line("- **Debezium JSON**: " + "Debezium's embedded engine on its own slot (as in scenario `capture`); each change record's key and value"
                + " serialized with Kafka Connect's `JsonConverter` as a Kafka producer would send them, with `schemas.enable=true` (Kafka"
                + " Connect's default) and `false`; Debezium's default settings otherwise (e.g. `decimal.handling.mode=precise`: numeric as"
                + " base64 bytes; the `source` block in every value). Key + value is what a Kafka consumer receives per change; value only also given.");
        line();
        line("Bytes per change, median of the runs (each run's figure in parentheses):");
        line();
        line("| encoding | INSERT | UPDATE | DELETE | all changes |");
        line("|---|---|---|---|---|");
        for (WireScenario.Measure m : WireScenario.Measure.values()) {
            int prefix = m == WireScenario.Measure.GRPC_WIRE ? 5 : 0;
            StringBuilder row = new StringBuilder("| " + m.description + (prefix > 0 ? " + 5-byte prefix" : "") + " |");
            for (WireTally.Op op : WireTally.Op.values()) {
                row.append(' ').append(samples(runs, r -> r.tallies().get(m).perChange(op) + prefix).describe("%.1f")).append(" |");
            }
            row.append(' ').append(samples(runs, r -> r.tallies().get(m).perChange() + prefix).describe("%.1f")).append(" |");
            line(row.toString());
        }
        line();
        line("All changes per table (bytes per change):");
        line();
        List<String> tables = runs.getFirst().tallies().tables();
        line("| encoding | " + String.join(" | ", tables.stream().map(t -> "`" + t + "`").toList()) + " |");
        line("|---|" + "---|".repeat(tables.size()));
        for (WireScenario.Measure m : WireScenario.Measure.values()) {
            int prefix = m == WireScenario.Measure.GRPC_WIRE ? 5 : 0;
            StringBuilder row = new StringBuilder("| " + m.description + (prefix > 0 ? " + 5-byte prefix" : "") + " |");
            for (String table : tables) {
                row.append(' ').append(samples(runs, r -> r.tallies().get(m, table).perChange() + prefix).describe("%.1f")).append(" |");
            }
            line(row.toString());
        }
        line();
        line("**Ratio Debezium JSON bytes / pgcapture gRPC bytes (all changes, key + value vs. message + prefix): "
                + samples(runs, r -> ratio(r, WireScenario.Measure.JSON_SCHEMAS)).describe("%.2f") + " with schemas; "
                + samples(runs, r -> ratio(r, WireScenario.Measure.JSON_PLAIN)).describe("%.2f") + " without schemas.**");
        line();
        StringBuilder perOp = new StringBuilder("Per operation (with schemas / without): ");
        for (WireTally.Op op : WireTally.Op.values()) {
            perOp.append(op).append(' ')
                    .append(samples(runs, r -> ratio(r, WireScenario.Measure.JSON_SCHEMAS, op)).describe("%.2f")).append(" / ")
                    .append(samples(runs, r -> ratio(r, WireScenario.Measure.JSON_PLAIN, op)).describe("%.2f"))
                    .append(op == WireTally.Op.DELETE ? "." : "; ");
        }
        line(perOp.toString());
        line();
        line("Everything the client received, per change: "
                + samples(runs, r -> (double) r.received().messageBodyBytes() / changes(r)).describe("%.1f")
                + " bytes of message bodies as gRPC reported them read (`ClientStreamTracer.inboundWireSize`; Begin and Commit are not sent"
                + " by the gateway); " + samples(runs, r -> (double) r.received().connectionBytes() / changes(r)).describe("%.1f")
                + " bytes on the TCP connection from the gateway (counted by a relay between client and gateway: gRPC prefixes, HTTP/2 frame"
                + " headers, response headers, SETTINGS, PINGs and WINDOW_UPDATEs included; TCP/IP headers not).");
        line();
        line("**Ratio Debezium JSON bytes / bytes on pgcapture's TCP connection, per change: "
                + samples(runs, r -> r.tallies().get(WireScenario.Measure.JSON_SCHEMAS).perChange() * changes(r) / r.received().connectionBytes())
                .describe("%.2f") + " with schemas; "
                + samples(runs, r -> r.tallies().get(WireScenario.Measure.JSON_PLAIN).perChange() * changes(r) / r.received().connectionBytes())
                .describe("%.2f") + " without schemas** (Kafka's own record framing and batching, the other side's equivalent, not counted).");
        line();
        return md.toString();
    }

    private static long changes(WireScenario.Run run) {
        return run.tallies().get(WireScenario.Measure.GRPC_WIRE).changes();
    }

    private static double ratio(WireScenario.Run run, WireScenario.Measure json) {
        return run.tallies().get(json).perChange() / (run.tallies().get(WireScenario.Measure.GRPC_WIRE).perChange() + 5);
    }

    private static double ratio(WireScenario.Run run, WireScenario.Measure json, WireTally.Op op) {
        return run.tallies().get(json).perChange(op) / (run.tallies().get(WireScenario.Measure.GRPC_WIRE).perChange(op) + 5);
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
