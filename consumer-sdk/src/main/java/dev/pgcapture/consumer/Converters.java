package dev.pgcapture.consumer;

import dev.pgcapture.consumer.Converter.Mismatch;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.codec.PgArray;
import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.core.codec.PgComposite;
import dev.pgcapture.core.codec.PgGeometry;
import dev.pgcapture.core.codec.PgInet;
import dev.pgcapture.core.codec.PgInterval;
import dev.pgcapture.core.codec.PgNumeric;
import dev.pgcapture.core.codec.PgRange;
import dev.pgcapture.core.codec.PgUndecoded;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Chooses the {@link Converter} of a member's declared Java type, as {@link PgValue}'s table
 * says, and refuses a type no column binds to with a {@link ModelException} naming the member.
 */
final class Converters {

    /** The value as decoded: for {@code Object}, and wherever nothing is to convert. */
    static final Converter IDENTITY = (value, oid, codecs) -> value;

    /** The converters of the types that need no type arguments, boxed and primitive alike. */
    private static final Map<Class<?>, Scalar> SCALARS = scalars();

    /** The types the codecs decode to, bound as they come. */
    private static final Set<Class<?>> AS_DECODED = Set.of(UUID.class, LocalDate.class, LocalTime.class, OffsetTime.class,
            LocalDateTime.class, OffsetDateTime.class, PgInterval.class, PgInet.class, Lsn.class, PgComposite.class, PgArray.class,
            PgRange.class);

    private static final String DEFAULT_HINT = "use a type PgValue's documentation lists (String takes any column's text form, "
            + "Object its value as decoded)";

    private Converters() {
    }

    /** The converter to one of the types a scalar binds to, which its messages name. */
    @FunctionalInterface
    private interface Scalar {
        Converter to(Class<?> target);
    }

    /**
     * Where a converter is chosen: the member it is for (for messages), and the composite
     * records met so far in this model (each validated once, also when it refers to itself).
     */
    record Scope(String member, Type declared, Map<Class<?>, CompositeConverter> composites) {

        Scope forMember(String otherMember, Type otherDeclared) {
            return new Scope(otherMember, otherDeclared, composites);
        }

        ModelException refuse(Type type, String hint) {
            String in = type.equals(declared) ? "" : " (in " + declared.getTypeName() + ")";
            return new ModelException(member + ": " + type.getTypeName() + in + " is not a type a PostgreSQL column binds to; " + hint);
        }
    }

    /** The converter of {@code type}; a {@link PgValue} is not one (it wraps a member, see {@link MemberBinding}). */
    static Converter of(Type type, Scope scope) {
        return switch (type) {
            case Class<?> c -> ofClass(c, scope);
            case ParameterizedType p -> ofParameterized(p, scope);
            case GenericArrayType g -> Sequences.array(g, raw(g.getGenericComponentType()), of(g.getGenericComponentType(), scope));
            case WildcardType w -> w.getLowerBounds().length > 0 ? IDENTITY : of(w.getUpperBounds()[0], scope);
            case TypeVariable<?> v -> throw scope.refuse(v, "a type variable has no type at run time: declare the type itself");
            default -> throw scope.refuse(type, DEFAULT_HINT);
        };
    }

    private static Converter ofClass(Class<?> c, Scope scope) {
        Scalar scalar = SCALARS.get(c);
        if (scalar != null) {
            return scalar.to(c);
        }
        if (c == Object.class) {
            return IDENTITY;
        }
        if (AS_DECODED.contains(c) || PgGeometry.class.isAssignableFrom(c)) {
            return asDecoded(c);
        }
        if (c.isEnum()) {
            return enumConstants(c);
        }
        if (c.isArray()) {
            Class<?> component = c.getComponentType();
            if (component.isPrimitive()) {
                throw scope.refuse(c, "an array's SQL NULL elements need a class: declare "
                        + MemberBinding.boxed(component).getSimpleName() + "[] or List<" + MemberBinding.boxed(component).getSimpleName()
                        + ">");
            }
            return Sequences.array(c, component, of(component, scope));
        }
        if (c.isRecord()) {
            return CompositeConverter.of(c, scope);
        }
        throw scope.refuse(c, hint(c));
    }

    private static Converter ofParameterized(ParameterizedType p, Scope scope) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type argument = p.getActualTypeArguments().length == 1 ? p.getActualTypeArguments()[0] : null;
        if (raw == List.class) {
            return Sequences.list(p, of(argument, scope));
        }
        if (raw == PgArray.class) {
            Converter element = of(argument, scope);
            return element == IDENTITY ? asDecoded(PgArray.class) : Sequences.pgArray(element);
        }
        if (raw == PgRange.class) {
            Converter bound = of(argument, scope);
            return bound == IDENTITY ? asDecoded(PgRange.class) : Sequences.range(bound);
        }
        throw scope.refuse(p, hint(raw));
    }

    private static String hint(Class<?> c) {
        if (c == PgValue.class) {
            return "PgValue wraps a member itself, not its elements or attributes";
        }
        if (c == List.class) {
            return "declare its element type, e.g. List<String>";
        }
        if (Map.class.isAssignableFrom(c)) {
            return "a json or jsonb column binds to String, its JSON text";
        }
        if (c == Optional.class) {
            return "declare PgValue<T> to tell SQL NULL from a missing value, or T (null for both)";
        }
        if (Collection.class.isAssignableFrom(c)) {
            return "an array binds to List<E> or E[]";
        }
        if (java.util.Date.class.isAssignableFrom(c) || java.util.Calendar.class.isAssignableFrom(c)) {
            return "use java.time: Instant or OffsetDateTime for timestamptz, LocalDateTime for timestamp, LocalDate for date";
        }
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (var field : k.getDeclaredFields()) {
                if (field.isAnnotationPresent(PgColumn.class)) {
                    return "a composite type binds to a record whose components are annotated @PgColumn with its attribute names";
                }
            }
        }
        return DEFAULT_HINT;
    }

    /** The class a type stands for at run time. */
    static Class<?> raw(Type type) {
        return switch (type) {
            case Class<?> c -> c;
            case ParameterizedType p -> (Class<?>) p.getRawType();
            case GenericArrayType g -> raw(g.getGenericComponentType()).arrayType();
            case WildcardType w -> w.getLowerBounds().length > 0 ? Object.class : raw(w.getUpperBounds()[0]);
            default -> Object.class;
        };
    }

    private static Converter asDecoded(Class<?> c) {
        return (value, oid, codecs) -> {
            if (c.isInstance(value)) {
                return value;
            }
            throw mismatch(value, oid, codecs, c);
        };
    }

    private static Converter enumConstants(Class<?> c) {
        Map<String, Object> byName = new HashMap<>();
        for (Object constant : c.getEnumConstants()) {
            byName.put(((Enum<?>) constant).name(), constant);
        }
        return (value, oid, codecs) -> {
            if (value instanceof String label) {
                Object constant = byName.get(label);
                if (constant != null) {
                    return constant;
                }
                throw new Mismatch("label \"" + label + "\" is not a constant of " + c.getName(), "its constants are "
                        + byName.keySet().stream().sorted().toList());
            }
            throw mismatch(value, oid, codecs, c);
        };
    }

    private static Map<Class<?>, Scalar> scalars() {
        Map<Class<?>, Scalar> scalars = new HashMap<>();
        Scalar bool = target -> (v, oid, codecs) -> v instanceof Boolean ? v : fail(v, oid, codecs, target);
        Scalar int2 = target -> (v, oid, codecs) -> v instanceof Short ? v : fail(v, oid, codecs, target);
        Scalar int4 = target -> (v, oid, codecs) -> switch (v) {
            case Integer i -> i;
            case Short s -> Integer.valueOf(s);
            default -> fail(v, oid, codecs, target);
        };
        Scalar int8 = target -> (v, oid, codecs) -> switch (v) {
            case Long l -> l;
            case Integer i -> Long.valueOf(i);
            case Short s -> Long.valueOf(s);
            default -> fail(v, oid, codecs, target);
        };
        Scalar float4 = target -> (v, oid, codecs) -> v instanceof Float ? v : fail(v, oid, codecs, target);
        Scalar float8 = target -> (v, oid, codecs) -> switch (v) {
            case Double d -> d;
            case Float f -> Double.valueOf(f);
            default -> fail(v, oid, codecs, target);
        };
        put(scalars, boolean.class, Boolean.class, bool);
        put(scalars, short.class, Short.class, int2);
        put(scalars, int.class, Integer.class, int4);
        put(scalars, long.class, Long.class, int8);
        put(scalars, float.class, Float.class, float4);
        put(scalars, double.class, Double.class, float8);
        scalars.put(BigDecimal.class, target -> (v, oid, codecs) -> switch (v) {
            case PgNumeric.Finite finite -> finite.value();
            case BigDecimal money -> money;
            case PgNumeric.Special special -> throw new Mismatch("numeric " + special.text() + " does not fit java.math.BigDecimal",
                    "declare PgNumeric to receive NaN and the infinities");
            default -> fail(v, oid, codecs, target);
        });
        scalars.put(PgNumeric.class, target -> (v, oid, codecs) -> switch (v) {
            case PgNumeric numeric -> numeric;
            case BigDecimal money -> PgNumeric.of(money);
            default -> fail(v, oid, codecs, target);
        });
        scalars.put(String.class, target -> (v, oid, codecs) -> v instanceof String s ? s : text(v, oid, codecs));
        scalars.put(byte[].class, target -> (v, oid, codecs) -> v instanceof byte[] bytes ? bytes.clone() : fail(v, oid, codecs, target));
        scalars.put(Instant.class, target -> (v, oid, codecs) -> v instanceof OffsetDateTime t ? instant(t) : fail(v, oid, codecs, target));
        scalars.put(InetAddress.class, target -> (v, oid, codecs) -> v instanceof PgInet inet ? inet.address()
                : fail(v, oid, codecs, target));
        return Map.copyOf(scalars);
    }

    private static void put(Map<Class<?>, Scalar> scalars, Class<?> primitive, Class<?> boxed, Scalar converter) {
        scalars.put(primitive, converter);
        scalars.put(boxed, converter);
    }

    /** A timestamptz as an Instant; its infinities are Instant's. */
    private static Instant instant(OffsetDateTime t) {
        if (t.equals(OffsetDateTime.MAX)) {
            return Instant.MAX;
        }
        if (t.equals(OffsetDateTime.MIN)) {
            return Instant.MIN;
        }
        return t.toInstant();
    }

    /** A value in PostgreSQL's text form. */
    static String text(Object value, int oid, PgCodecs codecs) throws Mismatch {
        try {
            return codecs.toText(oid, value);
        } catch (RuntimeException e) {
            throw new Mismatch(describe(value, oid, codecs) + " has no text form here: " + e.getMessage(), null);
        }
    }

    private static Object fail(Object value, int oid, PgCodecs codecs, Class<?> target) throws Mismatch {
        throw mismatch(value, oid, codecs, target);
    }

    /** A value of a type that does not bind to {@code target}. */
    static Mismatch mismatch(Object value, int oid, PgCodecs codecs, Type target) {
        String what = describe(value, oid, codecs) + " does not bind to " + target.getTypeName();
        return switch (value) {
            case PgUndecoded.Text text -> new Mismatch(what, "PostgreSQL sent it in text form (its type has no binary send "
                    + "function, or the stream is in text mode): declare String or Object");
            case PgUndecoded.Binary binary -> new Mismatch(what, "the consumer does not know the type: declare Object");
            default -> new Mismatch(what, null);
        };
    }

    /** How a value is named in messages: its PostgreSQL type and its Java class. */
    static String describe(Object value, int oid, PgCodecs codecs) {
        String type = typeName(oid, codecs);
        return switch (value) {
            case PgUndecoded.Text text -> type + " value in text form";
            case PgUndecoded.Binary binary -> type + " value (undecoded)";
            case List<?> list -> type + " value (java.util.List)";
            default -> type + " value (" + value.getClass().getName() + ")";
        };
    }

    /** A type's name for messages: {@code int4}, {@code public.mood}, or its OID when the codecs do not know it. */
    static String typeName(int oid, PgCodecs codecs) {
        return codecs.knows(oid) ? codecs.forOid(oid).typeName() : "type OID " + Integer.toUnsignedString(oid);
    }
}
