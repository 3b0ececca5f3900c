package dev.pgcapture.bench;

import dev.pgcapture.agent.AgentRunner;
import dev.pgcapture.agent.Pg2Pulsar;
import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.embedded.LocalPostgres;
import dev.pgcapture.embedded.LocalPulsar;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario {@code wire}: the bytes one change costs on pgcapture's gRPC stream and in Debezium's
 * JSON, for the same changes.
 *
 * <p>Per run a fresh database with two tables, the capture scenario's {@code wire_rows (id bigint
 * primary key, n int, payload text (100 bytes), at timestamptz)} and a wider {@code wire_wide}
 * (an order-like row of 12 columns: numbers, short texts, numeric, boolean, text[], uuid,
 * timestamps); pgcapture's slot and Debezium's, both before the load; then per table N inserts
 * (transactions of 1,000 rows), every second row updated, every fourth deleted. pg2pulsar
 * publishes the WAL to a topic (untimed); the real gateway serves it over Netty on loopback to a
 * gRPC client that measures what arrives ({@link WireClient}) and acknowledges everything.
 * Debezium's engine reads its slot, and each change record's key and value are serialized with
 * Kafka Connect's {@link JsonConverter}, with and without schemas.
 */
final class WireScenario {

    private static final Logger log = LoggerFactory.getLogger(WireScenario.class);
    static final String NARROW = "wire_rows";
    static final String WIDE = "wire_wide";
    private static final int PER_TRANSACTION = 1000;

    /**
     * @param rows rows inserted into each table per run
     * @param runs measured runs
     * @param timeout the longest one drain may take
     */
    record Options(int rows, int runs, Duration timeout) {

        Options {
            if (rows < 4) {
                throw new IllegalArgumentException("--wire-rows must be at least 4, was " + rows);
            }
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
            }
        }

        /** Changes the load makes: per table the inserts, the updates of even ids, the deletes of ids 1, 5, 9, ... */
        long changes(WireTally.Op op) {
            return 2L * switch (op) {
                case INSERT -> rows;
                case UPDATE -> rows / 2;
                case DELETE -> (rows + 3) / 4;
            };
        }
    }

    /** The ways a change is counted. */
    enum Measure {
        GRPC_WIRE("pgcapture gRPC, on the wire"),
        PROTOBUF("pgcapture protobuf `CaptureMessage`"),
        JSON_SCHEMAS("Debezium JSON, schemas.enable=true (key + value)"),
        JSON_PLAIN("Debezium JSON, schemas.enable=false (key + value)"),
        JSON_SCHEMAS_VALUE("Debezium JSON, schemas.enable=true (value only)"),
        JSON_PLAIN_VALUE("Debezium JSON, schemas.enable=false (value only)");

        final String description;

        Measure(String description) {
            this.description = description;
        }
    }

    /** One run: the tallies, and the bytes the gRPC client received in all. */
    record Run(WireTallies tallies, WireClient.Received received) {
    }

    /** Everything the report needs. */
    record Result(Options options, List<Run> runs) {
    }

    private final LocalPostgres postgres;
    private final BenchDatabases databases;
    private final LocalPulsar pulsar;
    private final PulsarAdmin admin;
    private final Options options;

    WireScenario(LocalPostgres postgres, LocalPulsar pulsar, PulsarAdmin admin, Options options) {
        this.postgres = postgres;
        this.databases = new BenchDatabases(postgres);
        this.pulsar = pulsar;
        this.admin = admin;
        this.options = options;
    }

    Result run() throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int i = 1; i <= options.runs(); i++) {
            Run run = oneRun("run" + i);
            log.info("wire run {}: gRPC {} B/change, protobuf {} B/change, Debezium JSON {} B/change (schemas) {} B/change (plain)", i,
                    Math.round(run.tallies().get(Measure.GRPC_WIRE).perChange()), Math.round(run.tallies().get(Measure.PROTOBUF).perChange()),
                    Math.round(run.tallies().get(Measure.JSON_SCHEMAS).perChange()), Math.round(run.tallies().get(Measure.JSON_PLAIN).perChange()));
            runs.add(run);
        }
        return new Result(options, runs);
    }

    private Run oneRun(String label) throws Exception {
        String database = "wire_" + label;
        String pgcaptureSlot = "pgcapture_wire_" + label;
        String debeziumSlot = "debezium_wire_" + label;
        String topic = "persistent://public/default/bench-wire-" + label + "-" + System.currentTimeMillis();
        try (Connection adminDb = databases.connect("postgres")) {
            BenchDatabases.execute(adminDb, "DROP DATABASE IF EXISTS " + database);
            BenchDatabases.execute(adminDb, "CREATE DATABASE " + database);
            try (Connection db = databases.connect(database)) {
                BenchDatabases.execute(db, "CREATE TABLE " + NARROW + " (id bigint PRIMARY KEY, n int, payload text, at timestamptz)");
                BenchDatabases.execute(db, "CREATE TABLE " + WIDE + " (id bigint PRIMARY KEY, customer_id bigint, email text, full_name text,"
                        + " status text, amount numeric(12,2), quantity int, active boolean, tags text[], ref uuid, created_at timestamptz,"
                        + " updated_at timestamptz)");
                new CaptureSetup(CaptureSetup.Settings.defaults().withSlot(pgcaptureSlot)).init(db);
                BenchDatabases.execute(db, "SELECT pg_create_logical_replication_slot('" + debeziumSlot + "', 'pgoutput')");
                load(db);
                Lsn end = BenchDatabases.currentInsertLsn(db);
                publish(adminDb, database, pgcaptureSlot, end, topic);
                WireTallies tallies = new WireTallies(List.of("public." + NARROW, "public." + WIDE));
                long total = 0;
                for (WireTally.Op op : WireTally.Op.values()) {
                    total += options.changes(op);
                }
                WireClient.Received received = WireClient.receive(pulsar.serviceUrl(), topic, tallies, total, options.timeout());
                debezium(database, debeziumSlot, label, total, tallies);
                for (Measure m : Measure.values()) {
                    for (WireTally.Op op : WireTally.Op.values()) {
                        if (tallies.get(m).changes(op) != options.changes(op)) {
                            throw new IllegalStateException(m.description + " counted " + tallies.get(m).changes(op) + " " + op + " changes; the load"
                                    + " made " + options.changes(op));
                        }
                    }
                }
                return new Run(tallies, received);
            } finally {
                Slots.drop(adminDb, List.of(pgcaptureSlot, debeziumSlot));
                BenchDatabases.execute(adminDb, "DROP DATABASE IF EXISTS " + database);
                try {
                    admin.topics().delete(topic, true);
                } catch (Exception e) {
                    log.debug("could not delete topic {}: {}", topic, e.getMessage());
                }
            }
        }
    }

    private void load(Connection db) throws Exception {
        int rows = options.rows();
        for (int from = 1; from <= rows; from += PER_TRANSACTION) {
            int to = Math.min(rows, from + PER_TRANSACTION - 1);
            String series = " FROM generate_series(" + from + ", " + to + ") g";
            db.setAutoCommit(false);
            BenchDatabases.execute(db, "INSERT INTO " + NARROW + " SELECT g, g % 1000, rpad(md5(g::text), 100, md5(g::text)), now()" + series);
            BenchDatabases.execute(db, "INSERT INTO " + WIDE + " SELECT g, 100000 + g % 5000, 'customer' || (g % 5000) || '@example.com',"
                    + " 'Customer ' || initcap(substr(md5(g::text), 1, 8)), (ARRAY['new', 'paid', 'shipped', 'delivered'])[1 + g % 4],"
                    + " round((g % 100000) / 7.0, 2), 1 + g % 9, g % 3 <> 0, ARRAY['tag' || (g % 7), 'tag' || (g % 11)],"
                    + " md5(g::text)::uuid, now(), now()" + series);
            db.commit();
            db.setAutoCommit(true);
        }
        for (String table : List.of(NARROW, WIDE)) {
            String set = table.equals(NARROW) ? "n = n + 1, at = now()" : "status = 'paid', quantity = quantity + 1, updated_at = now()";
            BenchDatabases.execute(db, "UPDATE " + table + " SET " + set + " WHERE id % 2 = 0");
            BenchDatabases.execute(db, "DELETE FROM " + table + " WHERE id % 4 = 1");
        }
    }

    /** pg2pulsar publishes the load to {@code topic} until its slot confirmed {@code end}; untimed. */
    private void publish(Connection watchConnection, String database, String slot, Lsn end, String topic) throws Exception {
        Pg2Pulsar agent = new Pg2Pulsar(new Pg2Pulsar.Settings(databases.url(database), CaptureSettings.defaults().withSlot(slot)
                .withStatusInterval(Duration.ofMillis(100)), pulsar.serviceUrl(), pulsar.httpUrl(), PulsarSinkSettings.forTopic(topic),
                Duration.ofDays(7)), AgentRunner.Backoff.standard());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("bench-wire-pg2pulsar").start(() -> {
            try {
                agent.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        SlotWatch.Drain drain;
        try {
            drain = new SlotWatch(watchConnection, slot).awaitConfirmed(System.nanoTime(), end, options.timeout(), pid -> !thread.isAlive());
        } finally {
            agent.stop();
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
        if (failure.get() != null || drain.endedEarly()) {
            throw new IllegalStateException("pg2pulsar stopped before confirming " + end + " (confirmed " + drain.confirmed() + ")", failure.get());
        }
    }

    /** Debezium's engine on its slot; every change record's key and value serialized to JSON both ways. */
    private void debezium(String database, String slot, String label, long total, WireTallies tallies) throws Exception {
        JsonConverter keySchemas = converter(true, true);
        JsonConverter valueSchemas = converter(true, false);
        JsonConverter keyPlain = converter(false, true);
        JsonConverter valuePlain = converter(false, false);
        try (DebeziumPeer debezium = new DebeziumPeer(postgres, database, slot, "bench-wire-" + label,
                List.of("public." + NARROW, "public." + WIDE), record -> {
                    WireTally.Op op = WireTally.Op.ofDebezium(((Struct) record.value()).getString("op"));
                    int valueWithSchemas = valueSchemas.fromConnectData(record.topic(), record.valueSchema(), record.value()).length;
                    int valuePlainBytes = valuePlain.fromConnectData(record.topic(), record.valueSchema(), record.value()).length;
                    int keyWithSchemas = keySchemas.fromConnectData(record.topic(), record.keySchema(), record.key()).length;
                    int keyPlainBytes = keyPlain.fromConnectData(record.topic(), record.keySchema(), record.key()).length;
                    // Topics are <prefix>.<schema>.<table>.
                    String table = record.topic().substring(DebeziumPeer.TOPIC_PREFIX.length() + 1);
                    tallies.add(Measure.JSON_SCHEMAS, table, op, keyWithSchemas + valueWithSchemas);
                    tallies.add(Measure.JSON_PLAIN, table, op, keyPlainBytes + valuePlainBytes);
                    tallies.add(Measure.JSON_SCHEMAS_VALUE, table, op, valueWithSchemas);
                    tallies.add(Measure.JSON_PLAIN_VALUE, table, op, valuePlainBytes);
                })) {
            debezium.start();
            debezium.awaitCount(total, options.timeout());
        }
    }

    private static JsonConverter converter(boolean schemas, boolean isKey) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", Boolean.toString(schemas)), isKey);
        return converter;
    }
}
