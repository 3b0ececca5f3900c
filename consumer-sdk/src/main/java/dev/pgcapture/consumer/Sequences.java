package dev.pgcapture.consumer;

import dev.pgcapture.consumer.Converter.Mismatch;
import dev.pgcapture.core.codec.PgArray;
import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.core.codec.PgRange;
import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The converters of values made of other values: {@code List<E>} and {@code E[]} from arrays
 * (one level per dimension) and multiranges, {@code PgArray<E>} and {@code PgRange<E>} with
 * their elements or bounds converted. Elements are converted by the element type's converter,
 * with the element type's OID for their text form; SQL NULL elements stay {@code null}.
 */
final class Sequences {

    private Sequences() {
    }

    /** {@code List<E>}, declared as {@code target}. */
    static Converter list(Type target, Converter element) {
        return new Sequence(target, element, null);
    }

    /** {@code E[]}, declared as {@code target}, where {@code component} is E's class. */
    static Converter array(Type target, Class<?> component, Converter element) {
        return new Sequence(target, element, component);
    }

    /** {@code PgArray<E>}: the array's dimensions and lower bounds kept, its elements converted. */
    static Converter pgArray(Converter element) {
        return (value, oid, codecs) -> {
            if (!(value instanceof PgArray<?> array)) {
                throw Converters.mismatch(value, oid, codecs, PgArray.class);
            }
            int elementOid = codecs.forOid(oid).elementOid();
            List<Object> elements = new ArrayList<>(array.elements().size());
            for (int i = 0; i < array.elements().size(); i++) {
                elements.add(convert(element, array.elements().get(i), elementOid, codecs, i));
            }
            return new PgArray<>(array.dimensions(), elements);
        };
    }

    /** {@code PgRange<E>}: the range's bounds converted. */
    static Converter range(Converter bound) {
        return (value, oid, codecs) -> {
            if (!(value instanceof PgRange<?> range)) {
                throw Converters.mismatch(value, oid, codecs, PgRange.class);
            }
            if (!(range instanceof PgRange.Bounded<?> bounded)) {
                return range;
            }
            int subtype = codecs.forOid(oid).elementOid();
            return PgRange.of(bound(bound, bounded.lower(), subtype, codecs, "lower bound"),
                    bound(bound, bounded.upper(), subtype, codecs, "upper bound"));
        };
    }

    private static PgRange.Bound<Object> bound(Converter converter, PgRange.Bound<?> bound, int subtype, PgCodecs codecs,
            String where) throws Mismatch {
        try {
            return switch (bound) {
                case PgRange.Inclusive<?> inclusive -> PgRange.Bound.inclusive(converter.convert(inclusive.value(), subtype, codecs));
                case PgRange.Exclusive<?> exclusive -> PgRange.Bound.exclusive(converter.convert(exclusive.value(), subtype, codecs));
                case PgRange.Unbounded<?> unbounded -> PgRange.Bound.unbounded();
            };
        } catch (Mismatch e) {
            throw e.within(where);
        }
    }

    private static Object convert(Converter element, Object value, int oid, PgCodecs codecs, int index) throws Mismatch {
        if (value == null) {
            return null;
        }
        try {
            return element.convert(value, oid, codecs);
        } catch (Mismatch e) {
            throw e.within("element " + (index + 1));
        }
    }

    /**
     * A {@code List<E>} or an {@code E[]}. An array of n dimensions becomes n nested levels: the
     * outer levels need an element type that is itself a list or array ({@link #nested}).
     */
    private static final class Sequence implements Converter {

        private final Type target;
        private final Converter element;
        /** The element converter when it is itself a sequence (the next dimension), else null. */
        private final Sequence nested;
        /** E's class for an {@code E[]}; null for a {@code List<E>}. */
        private final Class<?> component;
        /** The element type of the last array type seen, to save a registry lookup per value (racy but immutable). */
        private ElementType last;

        private record ElementType(PgCodecs codecs, int oid, int elementOid) {
        }

        Sequence(Type target, Converter element, Class<?> component) {
            this.target = target;
            this.element = element;
            this.nested = element instanceof Sequence sequence ? sequence : null;
            this.component = component;
        }

        @Override
        public Object convert(Object value, int oid, PgCodecs codecs) throws Mismatch {
            if (value instanceof PgArray<?> array) {
                if (array.isEmpty()) {
                    return finish(make(0));
                }
                if (element == Converters.IDENTITY && component == null && array.dimensions().size() == 1) {
                    return array.elements();
                }
                return level(array, 0, 0, elementOid(oid, codecs), oid, codecs);
            }
            if (value instanceof List<?> multirange) {
                int rangeOid = elementOid(oid, codecs);
                Object out = make(multirange.size());
                for (int i = 0; i < multirange.size(); i++) {
                    set(out, i, Sequences.convert(element, multirange.get(i), rangeOid, codecs, i));
                }
                return finish(out);
            }
            throw Converters.mismatch(value, oid, codecs, target);
        }

        /** Dimension {@code dimension} of {@code array}, from element {@code offset} (row-major). */
        private Object level(PgArray<?> array, int dimension, int offset, int elementOid, int oid, PgCodecs codecs)
                throws Mismatch {
            List<PgArray.Dimension> dimensions = array.dimensions();
            int length = dimensions.get(dimension).length();
            Object out = make(length);
            if (dimension == dimensions.size() - 1) {
                List<?> elements = array.elements();
                // A one-dimensional array whose elements need no conversion is a list already (unmodifiable).
                boolean same = component == null && dimension == 0;
                for (int i = 0; i < length; i++) {
                    Object original = elements.get(offset + i);
                    Object converted = Sequences.convert(element, original, elementOid, codecs, offset + i);
                    same &= converted == original;
                    set(out, i, converted);
                }
                return same ? elements : finish(out);
            }
            if (nested == null) {
                throw new Mismatch("a " + dimensions.size() + "-dimensional " + Converters.typeName(oid, codecs) + " does not bind to "
                        + target.getTypeName(), "declare one nested List (or array) per dimension");
            }
            int stride = 1;
            for (int d = dimension + 1; d < dimensions.size(); d++) {
                stride *= dimensions.get(d).length();
            }
            for (int i = 0; i < length; i++) {
                set(out, i, nested.level(array, dimension + 1, offset + i * stride, elementOid, oid, codecs));
            }
            return finish(out);
        }

        private int elementOid(int oid, PgCodecs codecs) {
            ElementType type = last;
            if (type == null || type.oid() != oid || type.codecs() != codecs) {
                type = new ElementType(codecs, oid, codecs.forOid(oid).elementOid());
                last = type;
            }
            return type.elementOid();
        }

        private Object make(int length) {
            return component == null ? new Object[length] : Array.newInstance(component, length);
        }

        private void set(Object out, int index, Object value) {
            ((Object[]) out)[index] = value;
        }

        private Object finish(Object out) {
            return component == null ? Collections.unmodifiableList(Arrays.asList((Object[]) out)) : out;
        }
    }
}
