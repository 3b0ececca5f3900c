package dev.pgcapture.consumer;

import dev.pgcapture.core.codec.PgCodecs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A row of a change as its columns came, decoded but not bound to a model: what a handler for
 * tables without a model ({@link Handlers.Builder#otherTables}) receives, and what a
 * {@link Change} of a model carries beside the model instance ({@link Change#newValues()}).
 * Values are as {@link PgCodecs} decodes them (a value in text form is a
 * {@link dev.pgcapture.core.codec.PgUndecoded.Text}). Immutable.
 */
public final class Row {

    /** One column: its name, its type's OID at the source, and its value. */
    public record Column(String name, int typeOid, PgValue<Object> value) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    private final List<Column> columns;
    private final Map<String, Column> byName;
    private final PgCodecs codecs;

    Row(List<Column> columns, PgCodecs codecs) {
        this.columns = List.copyOf(columns);
        this.codecs = codecs;
        Map<String, Column> names = new LinkedHashMap<>();
        for (Column column : this.columns) {
            names.put(column.name(), column);
        }
        this.byName = names;
    }

    /** The columns in the table's order, unchanged TOAST columns included. */
    public List<Column> columns() {
        return columns;
    }

    /** The column named {@code name}, or {@code null} when the row does not carry it. */
    public Column column(String name) {
        return byName.get(name);
    }

    /** The value of column {@code name}; {@link PgValue#absent()} when the row does not carry it. */
    public PgValue<Object> get(String name) {
        Column column = byName.get(name);
        return column == null ? PgValue.absent() : column.value();
    }

    /**
     * The value of column {@code name} in PostgreSQL's text form (with {@code TimeZone=UTC},
     * {@code DateStyle=ISO}, {@code IntervalStyle=postgres}); {@code null} when the column holds no value.
     */
    public String text(String name) {
        Column column = byName.get(name);
        if (column == null || !column.value().isValue()) {
            return null;
        }
        return codecs.toText(column.typeOid(), column.value().get());
    }

    /**
     * The row as a JSON object, columns in the table's order: SQL NULL is {@code null}; unchanged
     * TOAST columns are left out, so that merging the object into a stored document keeps what
     * the document has. Numbers are JSON numbers ({@code NaN} and infinities strings),
     * {@code bool} is {@code true}/{@code false}, {@code json} and {@code jsonb} are embedded
     * as JSON, arrays are JSON arrays (nested for more dimensions), composites are objects by
     * attribute, and every other value is a string in PostgreSQL's text form ({@code bytea} as
     * {@code \\x} hex).
     */
    public String toJson() {
        return RowJson.object(this);
    }

    PgCodecs codecs() {
        return codecs;
    }

    @Override
    public String toString() {
        return toJson();
    }
}
