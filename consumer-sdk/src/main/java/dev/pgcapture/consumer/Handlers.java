package dev.pgcapture.consumer;

import dev.pgcapture.core.TableName;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The handlers a {@link Consumer} hands changes to, one per model class, plus an optional one
 * for the tables no model names. Changes of a table with neither are acknowledged at once.
 * Immutable; the model classes are validated when it is built.
 *
 * <pre>{@code
 * Handlers handlers = Handlers.builder()
 *         .on(Item.class, change -> index.put(change))
 *         .onAsync(Order.class, change -> orders.sendAsync(change))
 *         .on(DdlEvent.class, change -> log.info("DDL: {}", change.newRow().query()))
 *         .build();
 * }</pre>
 */
public final class Handlers {

    /** A model and its handler: exactly one of {@code handler} and {@code asyncHandler} is set. */
    record Binding<T>(ModelType<T> model, Handler<T> handler, AsyncHandler<T> asyncHandler) {
    }

    private final Map<TableName, Binding<?>> byTable;
    private final Binding<Row> otherTables;

    private Handlers(Map<TableName, Binding<?>> byTable, Binding<Row> otherTables) {
        this.byTable = Collections.unmodifiableMap(new HashMap<>(byTable));
        this.otherTables = otherTables;
    }

    /** A builder of handlers. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Handlers with one synchronous handler for {@code model}.
     *
     * @throws ModelException when {@code model} is not a valid model
     */
    public static <T> Handlers of(Class<T> model, Handler<T> handler) {
        return builder().on(model, handler).build();
    }

    /** The binding of {@code table}'s changes: its model's, else the one for other tables, else {@code null}. */
    Binding<?> forTable(TableName table) {
        Binding<?> binding = byTable.get(table);
        return binding != null ? binding : otherTables;
    }

    /** Whether any model declares a key (so that debouncing can apply). */
    boolean anyKeyed() {
        return byTable.values().stream().anyMatch(b -> b.model() != null && b.model().hasKey());
    }

    /** Collects handlers; see {@link Handlers}. */
    public static final class Builder {

        private final Map<TableName, Binding<?>> byTable = new LinkedHashMap<>();
        private Binding<Row> otherTables;

        private Builder() {
        }

        /**
         * Handles the changes of {@code model}'s table with {@code handler}, one at a time.
         *
         * @throws ModelException when {@code model} is not a valid model, or its table already has a handler
         */
        public <T> Builder on(Class<T> model, Handler<T> handler) {
            Objects.requireNonNull(handler, "handler");
            return add(new Binding<>(ModelType.of(model), handler, null));
        }

        /**
         * Handles the changes of {@code model}'s table with {@code handler}, asynchronously.
         *
         * @throws ModelException when {@code model} is not a valid model, or its table already has a handler
         */
        public <T> Builder onAsync(Class<T> model, AsyncHandler<T> handler) {
            Objects.requireNonNull(handler, "handler");
            return add(new Binding<>(ModelType.of(model), null, handler));
        }

        /** Handles the changes of every table no model names, as {@link Row}s, one at a time. */
        public Builder otherTables(Handler<Row> handler) {
            otherTables = new Binding<>(null, Objects.requireNonNull(handler, "handler"), null);
            return this;
        }

        /** Handles the changes of every table no model names, as {@link Row}s, asynchronously. */
        public Builder otherTablesAsync(AsyncHandler<Row> handler) {
            otherTables = new Binding<>(null, null, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        private Builder add(Binding<?> binding) {
            Binding<?> earlier = byTable.putIfAbsent(binding.model().table(), binding);
            if (earlier != null) {
                throw new ModelException("models " + earlier.model().type().getName() + " and "
                        + binding.model().type().getName() + " both name table " + binding.model().table()
                        + ": a table has one model");
            }
            return this;
        }

        /** The handlers. */
        public Handlers build() {
            return new Handlers(byTable, otherTables);
        }
    }
}
