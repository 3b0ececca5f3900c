package dev.pgcapture.consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture;
import dev.pgcapture.agent.ReplicaPipeline;
import dev.pgcapture.core.codec.PgRange;
import dev.pgcapture.gateway.GatewayStack;
import dev.pgcapture.proto.ScheduleTablesRequest;
import dev.pgcapture.proto.TableName;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SDK against the whole system, in process: PostgreSQL, pg2pulsar, Pulsar, pulsar2pg with its
 * replica and Agent service, the controller and the gateway. Typed rows of user types arrive
 * live and in a dump; a failing handler's change comes again; a consumer outlives a gateway
 * restart without losing a change.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class ConsumerPipelineIT {

    private static final Duration WAIT = Duration.ofMinutes(2);

    enum Mood { sad, ok, happy }

    record Dimensions(@PgColumn("width") Integer width, @PgColumn("height") Integer height) {
    }

    @PgTable(name = "products")
    record Product(
            @PgColumn(value = "id", key = true) long id,
            @PgColumn("name") String name,
            @PgColumn("price") BigDecimal price,
            @PgColumn("mood") Mood mood,
            @PgColumn("moods") List<Mood> moods,
            @PgColumn("size") Dimensions size,
            @PgColumn("sku") String sku,
            @PgColumn("valid") PgRange<LocalDate> valid,
            @PgColumn("ref") UUID ref,
            @PgColumn("note") PgValue<String> note) {
    }

    @Test
    void typedRowsOfUserTypes_arriveLiveAndInADump_andAFailedChangeComesAgainInOrder(TestDatabase source, TestDatabase replica,
            TestDatabase store, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TYPE dimensions AS (width int, height int)",
                "CREATE DOMAIN sku AS text CHECK (VALUE ~ '^[A-Z]{3}-[0-9]+$')",
                "CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL, price numeric(10,2), mood mood, moods mood[],"
                        + " size dimensions, sku sku, valid daterange, ref uuid, note text)",
                "INSERT INTO products SELECT g, 'product ' || g, g * 1.25, 'ok', '{sad,happy}', ROW(g, 2 * g)::dimensions, 'ABC-' || g,"
                        + " daterange('2026-01-01', '2026-02-01'), md5(g::text)::uuid, NULL FROM generate_series(1, 300) g");
        List<Change<Product>> live = new CopyOnWriteArrayList<>();
        Map<Long, Product> dumped = new ConcurrentHashMap<>();
        List<Long> dumpedTwice = new CopyOnWriteArrayList<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        List<DdlEvent> ddl = new CopyOnWriteArrayList<>();
        try (ReplicaPipeline p = ReplicaPipeline.start(source, replica, pulsar);
                GatewayStack stack = GatewayStack.withDumps(pulsar, p.capture().topic(), p.agent().getChannel(), store);
                Consumer consumer = PgCapture.newConsumer(stack.channel, ConsumerOptions.builder(GatewayStack.URI).build())) {
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread consuming = Thread.ofPlatform().start(() -> {
                try {
                    consumer.consume(Handlers.builder()
                            .on(Product.class, change -> {
                                if (change.isDump()) {
                                    if (dumped.put(change.newRow().id(), change.newRow()) != null) {
                                        dumpedTwice.add(change.newRow().id());
                                    }
                                    return;
                                }
                                if (change.operation() == Operation.UPDATE && failedOnce.compareAndSet(false, true)) {
                                    throw new IllegalStateException("the index is busy");
                                }
                                live.add(change);
                            })
                            .on(DdlEvent.class, change -> ddl.add(change.newRow()))
                            .build());
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            source.execute("INSERT INTO products VALUES (1000, 'lamp', 19.90, 'happy', '{}', ROW(10, NULL), 'LMP-1',"
                            + " '[2026-03-01,)', '00000000-0000-0000-0000-000000000001', repeat('x', 10))",
                    "UPDATE products SET mood = 'sad', moods = '{happy,NULL}' WHERE id = 1000",
                    "DELETE FROM products WHERE id = 1",
                    "ALTER TABLE products ADD COLUMN stock int");
            await("the live changes").atMost(WAIT).until(() -> {
                assertNull(ended.get());
                return live.size() == 3 && !ddl.isEmpty();
            });
            assertEquals(List.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE), live.stream().map(Change::operation).toList(),
                    "commit order, the failed update retried in place");
            Product inserted = live.get(0).newRow();
            assertEquals(new Product(1000, "lamp", new BigDecimal("19.90"), Mood.happy, List.of(), new Dimensions(10, null), "LMP-1",
                    inserted.valid(), UUID.fromString("00000000-0000-0000-0000-000000000001"), PgValue.of("xxxxxxxxxx")), inserted);
            assertEquals(PgRange.of(PgRange.Bound.inclusive(LocalDate.parse("2026-03-01")), PgRange.Bound.unbounded()), inserted.valid());
            Product updated = live.get(1).newRow();
            assertEquals(Mood.sad, updated.mood());
            assertEquals(java.util.Arrays.asList(Mood.happy, null), updated.moods());
            assertEquals(1, live.get(2).oldRow().id(), "a delete carries the key");
            assertNull(live.get(2).oldRow().name(), "and only the key");
            assertTrue(live.get(2).oldRow().note().isAbsent());
            assertNotNull(live.get(0).commitTime());
            assertTrue(Duration.between(live.get(0).commitTime(), Instant.now()).abs().toMinutes() < 5, "commit time " + live.get(0).commitTime());
            assertTrue(ddl.get(0).query().contains("ADD COLUMN stock"), ddl.get(0).query());
            assertEquals(1, consumer.stats().requeued());

            stack.controller().scheduleTables(ScheduleTablesRequest.newBuilder().setUri(GatewayStack.URI)
                    .addTables(TableName.newBuilder().setSchema("public").setTable("products")).setPagesPerChunk(2).build());
            try {
                await("the dump").atMost(WAIT).until(() -> {
                    assertNull(ended.get());
                    return dumped.size() == 300;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(dumped.size() + " rows dumped; consumer " + consumer.stats() + "; live " + live.size() + (live.size() > 3 ? " " + live.get(3) : ""), e);
            }
            assertEquals(List.of(), dumpedTwice, "every row once");
            assertTrue(!dumped.containsKey(1L) && dumped.containsKey(1000L), "the dump is as of after the live changes");
            Product second = dumped.get(2L);
            assertEquals(new Dimensions(2, 4), second.size());
            assertEquals("ABC-2", second.sku());
            assertEquals(new BigDecimal("2.50"), second.price());
            assertEquals(List.of(Mood.sad, Mood.happy), second.moods());
            assertTrue(second.note().isNull());
            consumer.close();
            consuming.join(10_000);
            assertNull(ended.get());
        }
    }

    @PgTable(name = "events")
    record Event(@PgColumn("id") int id) {
    }

    @Test
    void gatewayRestart_consumerReconnectsAndResumes_losingNoChange(TestDatabase source, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE events (id int PRIMARY KEY)");
        String name = InProcessServerBuilder.generateName();
        Set<Integer> handled = ConcurrentHashMap.newKeySet();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try (CaptureFixture capture = CaptureFixture.start(source, pulsar);
                Consumer consumer = PgCapture.newConsumer(channel, ConsumerOptions.builder(GatewayStack.URI)
                        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build())) {
            GatewayStack first = GatewayStack.changes(pulsar, capture.topic(), name);
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread consuming = Thread.ofPlatform().start(() -> {
                try {
                    consumer.consume(Handlers.of(Event.class, change -> handled.add(change.newRow().id())));
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            List<String> inserts = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                inserts.add("INSERT INTO events VALUES (" + i + ")");
            }
            source.execute(inserts.toArray(String[]::new));
            await("some changes before the restart").atMost(WAIT).until(() -> handled.size() >= 10);
            first.close();
            inserts.clear();
            for (int i = 101; i <= 200; i++) {
                inserts.add("INSERT INTO events VALUES (" + i + ")");
            }
            source.execute(inserts.toArray(String[]::new));
            try (GatewayStack second = GatewayStack.changes(pulsar, capture.topic(), name)) {
                await("every change after the restart").atMost(WAIT).until(() -> {
                    assertNull(ended.get());
                    return handled.size() == 200;
                });
                assertTrue(consumer.stats().reconnects() >= 1, "reconnected: " + consumer.stats());
                Set<Integer> expected = new HashSet<>();
                for (int i = 1; i <= 200; i++) {
                    expected.add(i);
                }
                assertEquals(expected, handled);
                consumer.close();
                consuming.join(10_000);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
