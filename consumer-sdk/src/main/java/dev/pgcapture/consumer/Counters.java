package dev.pgcapture.consumer;

import java.util.concurrent.atomic.AtomicLong;

/** The consumer's running counts, written by its thread, read by anyone ({@link ConsumerStats}). */
final class Counters {

    final AtomicLong received = new AtomicLong();
    final AtomicLong handled = new AtomicLong();
    final AtomicLong requeued = new AtomicLong();
    final AtomicLong withoutHandler = new AtomicLong();
    final AtomicLong decodeErrors = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong debounced = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();

    ConsumerStats snapshot() {
        return new ConsumerStats(received.get(), handled.get(), requeued.get(), withoutHandler.get(), decodeErrors.get(),
                skipped.get(), debounced.get(), ignored.get(), reconnects.get());
    }
}
