package dev.pgcapture.consumer;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.TableName;

/**
 * A value the consumer could not decode, or not bind to its model member.
 *
 * @param table the change's table
 * @param column the column
 * @param typeOid the column's type OID at the source
 * @param reason what is wrong, e.g. {@code numeric NaN does not fit java.math.BigDecimal (Item.price)}
 * @param checkpoint the change's position in the stream
 * @param policy what the consumer does with the change: requeue it or skip it
 */
public record DecodeError(TableName table, String column, int typeOid, String reason, Checkpoint checkpoint,
        DecodeErrorPolicy policy) {

    @Override
    public String toString() {
        return "cannot decode " + table + "." + column + " (type OID " + typeOid + ") at " + checkpoint + ": " + reason
                + (policy == DecodeErrorPolicy.SKIP ? " (skipped)" : " (requeued)");
    }
}
