package dev.pgcapture.core.codec;

import dev.pgcapture.proto.TypeDescription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Builds the codecs of described user types: enums decode to their label, domains as their base
 * type, composites by their attributes, ranges, multiranges and arrays by their element type.
 * A type a description refers to but nobody described (nor is built in) gets the codec of
 * unknown types. Base and pseudo types of extensions have no codec here: their binary forms
 * are their own.
 */
final class UserTypes {

    private final Map<Integer, TypeDescription> descriptions;
    private final Map<Integer, Codec<?>> codecs;
    private final IntFunction<Codec<?>> resolver;
    private final Deque<Integer> building = new ArrayDeque<>();

    private UserTypes(Map<Integer, TypeDescription> descriptions, Map<Integer, Codec<?>> codecs, IntFunction<Codec<?>> resolver) {
        this.descriptions = descriptions;
        this.codecs = codecs;
        this.resolver = resolver;
    }

    /**
     * Adds a codec to {@code codecs} for every described type it does not hold yet.
     *
     * @param resolver finds codecs once the registry is complete (for anonymous records in arrays)
     * @throws IllegalArgumentException when a description is incomplete or the descriptions are circular
     */
    static void build(Map<Integer, TypeDescription> descriptions, Map<Integer, Codec<?>> codecs, IntFunction<Codec<?>> resolver) {
        UserTypes types = new UserTypes(descriptions, codecs, resolver);
        for (int oid : descriptions.keySet()) {
            types.codec(oid);
        }
    }

    private Codec<?> codec(int oid) {
        Codec<?> existing = codecs.get(oid);
        if (existing != null) {
            return existing;
        }
        TypeDescription type = descriptions.get(oid);
        if (type == null) {
            return Unknown.codec(oid);
        }
        if (building.contains(oid)) {
            StringBuilder chain = new StringBuilder();
            building.descendingIterator().forEachRemaining(o -> chain.append(label(descriptions.get(o))).append(" -> "));
            throw new IllegalArgumentException("type descriptions are circular: " + chain + label(type));
        }
        building.push(oid);
        Codec<?> codec = build(oid, type, name(type));
        building.pop();
        codecs.put(oid, codec);
        return codec;
    }

    private Codec<?> build(int oid, TypeDescription type, String name) {
        return switch (type.getKind()) {
            case ENUM -> new Codec<>(oid, name, String.class, Bytes::utf8, label -> label);
            case DOMAIN -> codec(required(type, name, type.getBaseOid(), "base_oid")).as(oid, name);
            case COMPOSITE -> {
                List<CompositeCodecs.Attribute> attributes = new ArrayList<>();
                for (var attribute : type.getAttributesList()) {
                    if (attribute.getName().isEmpty()) {
                        throw new IllegalArgumentException(describe(type, name) + " has an attribute without a name");
                    }
                    attributes.add(new CompositeCodecs.Attribute(attribute.getName(), codec(attribute.getOid())));
                }
                yield CompositeCodecs.described(oid, name, attributes);
            }
            case RANGE -> RangeCodecs.range(oid, name, codec(required(type, name, type.getElementOid(), "element_oid")));
            case MULTIRANGE -> RangeCodecs.multirange(oid, name, codec(required(type, name, type.getElementOid(), "element_oid")));
            case ARRAY -> ArrayCodecs.of(oid, name, codec(required(type, name, type.getElementOid(), "element_oid")), resolver);
            case BASE, PSEUDO, UNRECOGNIZED -> Unknown.codec(oid);
        };
    }

    private static int required(TypeDescription type, String name, int oid, String field) {
        if (oid == 0) {
            throw new IllegalArgumentException(describe(type, name) + " has no " + field);
        }
        return oid;
    }

    private static String describe(TypeDescription type, String name) {
        return type.getKind().name().toLowerCase(Locale.ROOT) + " type " + name + " (OID " + Integer.toUnsignedString(type.getOid()) + ")";
    }

    private static String label(TypeDescription type) {
        return name(type) + " (OID " + Integer.toUnsignedString(type.getOid()) + ")";
    }

    /** The type's SQL name, else schema.name. */
    static String name(TypeDescription type) {
        if (!type.getSqlName().isEmpty()) {
            return type.getSqlName();
        }
        return type.getSchema().isEmpty() ? type.getName() : type.getSchema() + "." + type.getName();
    }
}
