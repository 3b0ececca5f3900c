package dev.pgcapture.consumer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a record component or a field of a {@link PgTable} model to a column of the table, by
 * the column's name as in the catalog: {@code @PgColumn("created_at") Instant createdAt}.
 * Columns of the table without a member are ignored; a member whose column is absent from a
 * change (an old row that holds only the key) is left {@code null}, or
 * {@link PgValue#absent()} for a {@code PgValue} member, or the type's default ({@code 0},
 * {@code false}) for a primitive member. A primitive member cannot take SQL NULL: that is a
 * decode error naming the column, so declare a nullable column's member boxed or as
 * {@code PgValue<T>}.
 *
 * <p>The Java types a column can bind to are listed in {@link PgValue}'s documentation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
public @interface PgColumn {

    /** The column's name. */
    String value();

    /**
     * Whether the column is part of the row's key. A model whose members declare a key can be
     * debounced ({@link ConsumerOptions.Builder#debounce}): updates of one key within the
     * interval are collapsed into the latest. Key values compare by content ({@code bytea} and
     * arrays too) and numerics by value ({@code 1.50} as {@code 1.5}).
     */
    boolean key() default false;
}
