package dev.pgcapture.consumer;

import dev.pgcapture.consumer.Converter.Mismatch;
import dev.pgcapture.core.codec.PgCodecs;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * How one model member (a record component or a field, of a table model or of a composite
 * record) gets its value from a column or attribute in each of {@link PgValue}'s states:
 * <ul>
 *   <li>a {@code PgValue<T>} member gets the state as it is, a value converted to {@code T};
 *   <li>a primitive member gets the value; SQL NULL and an unchanged TOAST value do not fit it
 *       (a {@link Mismatch}); an absent column gives the type's default ({@code 0},
 *       {@code false}), since an old row that holds only the key lacks every other column;
 *   <li>any other member gets the value, and {@code null} in every other state.
 * </ul>
 */
final class MemberBinding {

    private enum Kind { PG_VALUE, PRIMITIVE, REFERENCE }

    private static final Map<Class<?>, Object> DEFAULTS = Map.of(boolean.class, false, short.class, (short) 0, int.class, 0,
            long.class, 0L, float.class, 0f, double.class, 0d);
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(boolean.class, Boolean.class, byte.class, Byte.class,
            char.class, Character.class, short.class, Short.class, int.class, Integer.class, long.class, Long.class,
            float.class, Float.class, double.class, Double.class);

    private final String column;
    private final String label;
    private final boolean key;
    private final Kind kind;
    private final Converter converter;
    private final Object absent;
    private final Class<?> primitive;

    private MemberBinding(String column, String label, boolean key, Kind kind, Converter converter, Object absent, Class<?> primitive) {
        this.column = column;
        this.label = label;
        this.key = key;
        this.kind = kind;
        this.converter = converter;
        this.absent = absent;
        this.primitive = primitive;
    }

    /**
     * The binding of a member declared as {@code type} and annotated {@code annotation}.
     *
     * @param label the member as messages name it, {@code dev.x.Item.price}
     * @throws ModelException when no column binds to {@code type}, naming the member
     */
    static MemberBinding of(String label, Type type, PgColumn annotation, Map<Class<?>, CompositeConverter> composites) {
        if (annotation.value().isEmpty()) {
            throw new ModelException(label + ": @PgColumn names no column");
        }
        Converters.Scope scope = new Converters.Scope(label, type, composites);
        if (type == PgValue.class) {
            throw new ModelException(label + ": a raw PgValue; declare PgValue<T> with the Java type the column binds to");
        }
        if (type instanceof ParameterizedType p && p.getRawType() == PgValue.class) {
            Type argument = p.getActualTypeArguments()[0];
            return new MemberBinding(annotation.value(), label, annotation.key(), Kind.PG_VALUE,
                    Converters.of(argument, scope.forMember(label, type)), PgValue.absent(), null);
        }
        if (type instanceof Class<?> c && c.isPrimitive()) {
            if (!DEFAULTS.containsKey(c)) {
                throw scope.refuse(c, c == char.class ? "use String" : "use short or int");
            }
            return new MemberBinding(annotation.value(), label, annotation.key(), Kind.PRIMITIVE, Converters.of(c, scope),
                    DEFAULTS.get(c), c);
        }
        return new MemberBinding(annotation.value(), label, annotation.key(), Kind.REFERENCE, Converters.of(type, scope), null, null);
    }

    /** The box of a primitive type, for messages. */
    static Class<?> boxed(Class<?> primitive) {
        return BOXES.getOrDefault(primitive, primitive);
    }

    /** The column (or attribute) name. */
    String column() {
        return column;
    }

    /** The member as messages name it. */
    String label() {
        return label;
    }

    /** Whether the column is part of the row's key. */
    boolean key() {
        return key;
    }

    /**
     * The member's value for {@code value}, a column of type {@code oid}.
     *
     * @throws Mismatch naming this member, when the value does not fit it
     */
    Object bind(PgValue<Object> value, int oid, PgCodecs codecs) throws Mismatch {
        switch (value.state()) {
            case VALUE -> {
                Object raw = value.get();
                Object converted = value(raw, oid, codecs);
                if (kind != Kind.PG_VALUE) {
                    return converted;
                }
                return converted == raw ? value : PgValue.of(converted);
            }
            case NULL -> {
                return sqlNull();
            }
            case UNCHANGED_TOAST -> {
                if (kind == Kind.PRIMITIVE) {
                    throw new Mismatch("an unchanged TOAST value does not fit primitive " + primitive, "declare "
                            + pgValueOf()).labelled(label);
                }
                return kind == Kind.PG_VALUE ? value : null;
            }
            default -> {
                return absent;
            }
        }
    }

    /** The member's value for a value that is there ({@code raw} not null), converted. */
    Object value(Object raw, int oid, PgCodecs codecs) throws Mismatch {
        try {
            return converter.convert(raw, oid, codecs);
        } catch (Mismatch e) {
            throw e.labelled(label);
        }
    }

    /** The member's value wrapped as {@code PgValue<T>} requires, for a composite's attribute. */
    Object wrapped(Object raw, int oid, PgCodecs codecs) throws Mismatch {
        Object converted = value(raw, oid, codecs);
        return kind == Kind.PG_VALUE ? PgValue.of(converted) : converted;
    }

    /** The member's value for SQL NULL. */
    Object sqlNull() throws Mismatch {
        return switch (kind) {
            case PG_VALUE -> PgValue.sqlNull();
            case REFERENCE -> null;
            case PRIMITIVE -> throw new Mismatch("SQL NULL does not fit primitive " + primitive, "declare "
                    + boxed(primitive).getSimpleName() + " or " + pgValueOf()).labelled(label);
        };
    }

    /** The member's value when the column is absent: {@code null}, {@link PgValue#absent()}, or a primitive's default. */
    Object absent() {
        return absent;
    }

    private String pgValueOf() {
        return "PgValue<" + boxed(primitive).getSimpleName() + ">";
    }
}
