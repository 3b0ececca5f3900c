package dev.pgcapture.consumer;

import dev.pgcapture.consumer.Converter.Mismatch;
import dev.pgcapture.core.TableName;
import dev.pgcapture.core.codec.PgArray;
import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.core.codec.PgComposite;
import dev.pgcapture.core.codec.PgNumeric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/**
 * A validated model class: its table, and how a {@link Row} becomes an instance. Everything
 * reflective is done once, by {@link #of}: binding a row looks each member's column up, converts
 * its value with the converter chosen for the member's type, and calls the constructor (and, for
 * a class, the field setters) through method handles.
 *
 * @param <T> the model class
 */
final class ModelType<T> {

    private final Class<T> type;
    private final TableName table;
    private final MemberBinding[] members;
    private final ModelMembers.Instantiator instantiator;
    private final String[] keyColumns;

    private ModelType(Class<T> type, TableName table, ModelMembers.Shape shape) {
        this.type = type;
        this.table = table;
        this.members = shape.members();
        this.instantiator = shape.instantiator();
        this.keyColumns = Arrays.stream(members).filter(MemberBinding::key).map(MemberBinding::column).toArray(String[]::new);
    }

    /**
     * Reads and validates {@code type}'s annotations.
     *
     * @throws ModelException naming the class and the member that is wrong
     */
    static <T> ModelType<T> of(Class<T> type) {
        Objects.requireNonNull(type, "model");
        PgTable annotation = type.getAnnotation(PgTable.class);
        if (annotation == null) {
            throw new ModelException(type.getName() + ": not annotated @PgTable; a model names its table, e.g. "
                    + "@PgTable(schema = \"public\", name = \"items\")");
        }
        if (annotation.schema().isEmpty() || annotation.name().isEmpty()) {
            throw new ModelException(type.getName() + ": @PgTable(schema = \"" + annotation.schema() + "\", name = \""
                    + annotation.name() + "\") names no table; neither name may be empty");
        }
        TableName table = new TableName(annotation.schema(), annotation.name());
        ModelMembers.Shape shape = type.isRecord() ? ModelMembers.ofRecord(type, false, new HashMap<>())
                : ModelMembers.ofClass(type, new HashMap<>());
        return new ModelType<>(type, table, shape);
    }

    Class<T> type() {
        return type;
    }

    TableName table() {
        return table;
    }

    /** Whether a member is a key column ({@link PgColumn#key()}). */
    boolean hasKey() {
        return keyColumns.length > 0;
    }

    /**
     * An instance holding {@code row}'s values.
     *
     * @throws DecodeFailure naming the column, its type and why its value does not bind; a
     *     constructor that throws is one too, with an empty column name and type OID 0
     */
    T bind(Row row) throws DecodeFailure {
        PgCodecs codecs = row.codecs();
        Object[] values = new Object[members.length];
        for (int i = 0; i < members.length; i++) {
            MemberBinding member = members[i];
            Row.Column column = row.column(member.column());
            if (column == null) {
                values[i] = member.absent();
                continue;
            }
            try {
                values[i] = member.bind(column.value(), column.typeOid(), codecs);
            } catch (Mismatch e) {
                throw new DecodeFailure(member.column(), column.typeOid(), e.reason());
            }
        }
        try {
            return type.cast(instantiator.create(values));
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new DecodeFailure("", 0, "the constructor of " + type.getName() + " refused the row: " + e);
        }
    }

    /**
     * The key columns' values in {@code row}, in declaration order, for debouncing: equal keys
     * give equal lists (byte arrays, and arrays and composites holding them, compared by
     * content; numerics by value, {@code 1.50} as {@code 1.5}). A column without a value is its
     * {@link PgValue} state. Empty when the model declares no key.
     */
    List<Object> key(Row row) {
        Object[] parts = new Object[keyColumns.length];
        for (int i = 0; i < parts.length; i++) {
            PgValue<Object> value = row.get(keyColumns[i]);
            parts[i] = value.isValue() ? keyPart(value.get()) : value;
        }
        return List.of(parts);
    }

    /** A value that compares by content: byte arrays wrapped, numerics without trailing zeros, the same within arrays and composites. */
    private static Object keyPart(Object value) {
        return switch (value) {
            case byte[] bytes -> new ByteKey(bytes);
            case PgNumeric.Finite numeric -> numeric.value().stripTrailingZeros();
            case Double d when d == 0 -> 0d;
            case Float f when f == 0 -> 0f;
            case PgArray<?> array -> {
                List<Object> elements = new ArrayList<>(array.elements().size());
                for (Object element : array.elements()) {
                    elements.add(element == null ? null : keyPart(element));
                }
                yield new PgArray<>(array.dimensions(), elements);
            }
            case PgComposite composite -> {
                List<PgComposite.Attribute> attributes = new ArrayList<>(composite.attributes().size());
                for (PgComposite.Attribute a : composite.attributes()) {
                    attributes.add(new PgComposite.Attribute(a.name(), a.oid(), a.value() == null ? null : keyPart(a.value())));
                }
                yield new PgComposite(attributes);
            }
            default -> value;
        };
    }

    /** A byte array as part of a key: equal by content. */
    private record ByteKey(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ByteKey that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return java.util.HexFormat.of().formatHex(bytes);
        }
    }

    @Override
    public String toString() {
        return "ModelType[" + type.getName() + " of " + table + "]";
    }
}
