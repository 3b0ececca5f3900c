package dev.pgcapture.gateway;

import java.util.concurrent.atomic.LongAdder;

/** What the gateway's streams count together, for operators. */
final class Counters {

    /** Requeues retried in place (exact mode), every attempt counted. */
    final LongAdder retries = new LongAdder();
    /** Messages given up after their maximum attempts (changes to the dead-letter topic, rows with their table). */
    final LongAdder givenUp = new LongAdder();
}
