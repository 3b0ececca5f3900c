package dev.pgcapture.agent.pulsar;

import dev.pgcapture.core.PostgresTime;
import dev.pgcapture.proto.Message;

/**
 * Follows a change stream's transactions and gives each message the Pulsar event time its
 * Pulsar messages carry: the commit time of its transaction, in milliseconds since the Unix
 * epoch (PostgreSQL's microseconds rounded down). A Begin starts a transaction, its Changes and
 * Commit follow (the capture agent receives transactions whole, in commit order); a KeepAlive is
 * in no transaction. 0 means none: Pulsar reads an event time of 0 as unset, so no message gets
 * one before 1970-01-01T00:00:00.001Z, and a commit time of 0 (a message that does not carry
 * one) gives none either.
 */
final class EventTimes {

    private long transaction;

    /** The event time of {@code message}, in stream order; 0 for none. */
    long next(Message message) {
        return switch (message.getTypeCase()) {
            case BEGIN -> transaction = of(message.getBegin().getCommitTime());
            case CHANGE -> transaction;
            case COMMIT -> {
                long commit = of(message.getCommit().getCommitTime());
                long time = commit != 0 ? commit : transaction;
                transaction = 0;
                yield time;
            }
            default -> 0;
        };
    }

    /** A commit time in PostgreSQL's microseconds as an event time; 0 for none. */
    static long of(long postgresMicros) {
        if (postgresMicros == 0) {
            return 0;
        }
        long millis = PostgresTime.toEpochMillis(postgresMicros);
        return millis > 0 ? millis : 0;
    }
}
