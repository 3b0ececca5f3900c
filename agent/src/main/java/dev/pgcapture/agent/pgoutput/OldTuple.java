package dev.pgcapture.agent.pgoutput;

import java.util.List;
import java.util.Objects;

/**
 * The old row of an UPDATE or DELETE, as the table's replica identity provides it: either
 * only its key ({@link Kind#KEY}) or the whole row ({@link Kind#FULL_ROW}).
 *
 * <p>A key tuple still has one value per column of the relation; the columns outside the
 * key are {@link ColumnValue#NULL}.
 */
public record OldTuple(Kind kind, List<ColumnValue> columns) {

    /** What an old tuple holds. */
    public enum Kind {
        /** The replica identity key: {@code DEFAULT} or {@code USING INDEX} (wire tag {@code 'K'}). */
        KEY,
        /** The whole old row: replica identity {@code FULL} (wire tag {@code 'O'}). */
        FULL_ROW
    }

    public OldTuple {
        Objects.requireNonNull(kind, "kind");
        columns = List.copyOf(columns);
    }
}
