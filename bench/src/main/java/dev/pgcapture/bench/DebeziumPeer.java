package dev.pgcapture.bench;

import dev.pgcapture.embedded.LocalPostgres;
import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's embedded engine (its PostgreSQL connector on {@code pgoutput}) in this JVM, streaming
 * only: it reads an existing slot through pgcapture's publication, keeps its offsets in memory and
 * snapshots no data. Every change record of the watched tables is handed to an observer, then
 * marked processed; a record counts once its batch is marked finished, and the engine commits
 * offsets after every batch.
 */
final class DebeziumPeer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DebeziumPeer.class);
    static final String TOPIC_PREFIX = "bench";

    private final DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("bench-debezium").factory());
    private final AtomicLong counted = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile long expected = Long.MAX_VALUE;
    private volatile long reachedNanos;
    private final CountDownLatch reached = new CountDownLatch(1);

    /**
     * @param tables the tables whose change records count, as {@code schema.table}
     * @param observer sees every counted record, on the engine's thread, before it is marked processed
     */
    DebeziumPeer(LocalPostgres postgres, String database, String slot, String name, List<String> tables, Consumer<SourceRecord> observer) {
        List<String> topics = tables.stream().map(t -> TOPIC_PREFIX + "." + t).toList();
        engine = DebeziumEngine.create(Connect.class)
                .using(properties(postgres, database, slot, name, tables))
                .notifying((records, committer) -> {
                    long seen = 0;
                    for (ChangeEvent<SourceRecord, SourceRecord> event : records) {
                        SourceRecord record = event.value();
                        if (record != null && record.value() != null && topics.contains(record.topic())) {
                            observer.accept(record);
                            seen++;
                        }
                        committer.markProcessed(event);
                    }
                    committer.markBatchFinished();
                    if (counted.addAndGet(seen) >= expected && reached.getCount() > 0) {
                        reachedNanos = System.nanoTime();
                        reached.countDown();
                    }
                })
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(error != null ? error : new IllegalStateException(message));
                    }
                    ended.countDown();
                    reached.countDown();
                })
                .build();
    }

    static Properties properties(LocalPostgres postgres, String database, String slot, String name, List<String> tables) {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        // Commit offsets (and so the slot's position) after every batch.
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("database.hostname", postgres.host());
        p.setProperty("database.port", Integer.toString(postgres.port()));
        p.setProperty("database.user", LocalPostgres.SUPERUSER);
        p.setProperty("database.password", "");
        p.setProperty("database.dbname", database);
        p.setProperty("topic.prefix", TOPIC_PREFIX);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("publication.name", "pgcapture");
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("table.include.list", String.join(",", tables.stream().map(t -> t.replace(".", "\\.")).toList()));
        p.setProperty("tombstones.on.delete", "false");
        // The queue hands a batch on after this long when it is not full (default 500 ms).
        p.setProperty("poll.interval.ms", "5");
        return p;
    }

    /** Starts the engine; {@link #awaitCount} then waits for the records. */
    DebeziumPeer start() {
        executor.execute(engine);
        return this;
    }

    /**
     * Waits until {@code count} records of the watched tables were marked processed.
     *
     * @return {@link System#nanoTime()} when the batch holding the last one was finished
     * @throws IllegalStateException when the engine stopped or the timeout passed first
     */
    long awaitCount(long count, Duration timeout) throws InterruptedException {
        expected = count;
        if (counted.get() >= count && reached.getCount() > 0) {
            reachedNanos = System.nanoTime();
            reached.countDown();
        }
        if (!reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Debezium marked " + counted.get() + " of " + count + " records processed within " + timeout);
        }
        if (counted.get() < count) {
            throw new IllegalStateException("Debezium stopped after " + counted.get() + " of " + count + " records", failure.get());
        }
        return reachedNanos;
    }

    /** Records of the watched tables marked processed so far. */
    long counted() {
        return counted.get();
    }

    /** Whether the engine stopped (failed or closed). */
    boolean stopped() {
        return ended.getCount() == 0;
    }

    @Override
    public void close() throws Exception {
        engine.close();
        executor.shutdown();
        if (!executor.awaitTermination(2, TimeUnit.MINUTES)) {
            log.warn("the Debezium engine did not stop within 2 minutes");
        }
    }
}
