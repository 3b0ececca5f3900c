package dev.pgcapture.core.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Composite values ({@code record_send}): the attribute count, then per attribute its type OID,
 * its length (-1 for NULL) and its bytes. The text form is {@code (a,b)}, a NULL attribute left
 * empty, a value quoted when it is empty or holds {@code " \ ( ) ,} or whitespace.
 */
final class CompositeCodecs {

    /**
     * An attribute of a composite type.
     *
     * @param name the attribute's name
     * @param codec the codec of its type
     */
    record Attribute(String name, Codec<?> codec) {
    }

    /** The attribute at an index, given the type OID the value names for it. */
    @FunctionalInterface
    private interface Attributes {
        Attribute at(int index, int oid);
    }

    private CompositeCodecs() {
    }

    /**
     * The codec of a composite type with these attributes: a value must have exactly these
     * attributes, of these types, in this order.
     */
    static Codec<PgComposite> described(int oid, String name, List<Attribute> attributes) {
        List<Attribute> copy = List.copyOf(attributes);
        Attributes checked = (index, attributeOid) -> {
            Attribute attribute = copy.get(index);
            if (attributeOid != attribute.codec().oid()) {
                throw new Codec.BadValue("attribute " + attribute.name() + " is of type OID " + Integer.toUnsignedString(attributeOid)
                        + ", the type says " + attribute.codec().typeName() + " (OID "
                        + Integer.toUnsignedString(attribute.codec().oid()) + ")");
            }
            return attribute;
        };
        return new Codec<>(oid, name, PgComposite.class, in -> read(in, copy.size(), checked), value -> {
            if (value.attributes().size() != copy.size()) {
                throw new IllegalArgumentException(name + " has " + copy.size() + " attributes, the value " + value.attributes().size());
            }
            return text(value, i -> copy.get(i).codec());
        });
    }

    /**
     * The codec of anonymous records ({@code record}): attributes are named {@code f1},
     * {@code f2}, ... and decoded by the type each names, found through {@code resolver}.
     */
    static Codec<PgComposite> anonymous(IntFunction<Codec<?>> resolver) {
        return new Codec<>(ArrayCodecs.RECORD_OID, "record", PgComposite.class,
                in -> read(in, -1, (index, oid) -> new Attribute("f" + (index + 1), resolver.apply(oid))),
                value -> text(value, i -> resolver.apply(value.attributes().get(i).oid())));
    }

    /** Reads a composite value of {@code expected} attributes, or of any number when it is -1. */
    private static PgComposite read(ByteBuffer in, int expected, Attributes types) {
        int count = Bytes.count(in, 8, "attribute");
        if (expected >= 0 && count != expected) {
            throw new Codec.BadValue("the value has " + count + " attributes, the type has " + expected);
        }
        List<PgComposite.Attribute> attributes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int oid = in.getInt();
            Attribute attribute = types.at(i, oid);
            String where = "attribute " + attribute.name();
            ByteBuffer bytes = Bytes.lengthPrefixed(in, true, where);
            Object value = bytes == null ? null : attribute.codec().decodeNested(bytes, where);
            attributes.add(new PgComposite.Attribute(attribute.name(), oid, value));
        }
        return new PgComposite(attributes);
    }

    private static String text(PgComposite value, IntFunction<Codec<?>> codecs) {
        StringBuilder out = new StringBuilder("(");
        List<PgComposite.Attribute> attributes = value.attributes();
        for (int i = 0; i < attributes.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object attribute = attributes.get(i).value();
            if (attribute != null) {
                TextQuoting.compositeAttribute(out, codecs.apply(i).textOf(attribute));
            }
        }
        return out.append(')').toString();
    }
}
