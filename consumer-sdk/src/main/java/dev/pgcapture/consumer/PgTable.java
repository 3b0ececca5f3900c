package dev.pgcapture.consumer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record or class as the model of one source table: each row of the table's changes
 * becomes an instance, with the components or fields annotated {@link PgColumn} set from the
 * row's columns. Names are PostgreSQL's, exactly as in the catalog (no case folding):
 * {@code @PgTable(schema = "Sales", name = "Line items")}.
 *
 * <p>A record is built through its canonical constructor; a class needs a constructor without
 * parameters (any visibility), and its annotated fields are set after it (they must not be
 * {@code final} or {@code static}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PgTable {

    /** The table's schema. */
    String schema() default "public";

    /** The table's name. */
    String name();
}
