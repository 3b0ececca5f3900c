package dev.pgcapture.consumer;

import dev.pgcapture.core.TableName;
import java.util.List;

/**
 * A validated model class: its table, and how a {@link Row} becomes an instance.
 *
 * @param <T> the model class
 */
final class ModelType<T> {

    /**
     * Reads and validates {@code type}'s annotations.
     *
     * @throws ModelException naming the class and the member that is wrong
     */
    static <T> ModelType<T> of(Class<T> type) {
        throw new UnsupportedOperationException("not yet");
    }

    Class<T> type() {
        throw new UnsupportedOperationException("not yet");
    }

    TableName table() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Whether a member is a key column ({@link PgColumn#key()}). */
    boolean hasKey() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * An instance holding {@code row}'s values.
     *
     * @throws DecodeFailure naming the column, its type and why its value does not bind
     */
    T bind(Row row) throws DecodeFailure {
        throw new UnsupportedOperationException("not yet");
    }

    /** The key columns' values in {@code row}, in declaration order, for debouncing; arrays compared by content. */
    List<Object> key(Row row) {
        throw new UnsupportedOperationException("not yet");
    }
}
