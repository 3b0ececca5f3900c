package dev.pgcapture.core.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A value of a PostgreSQL composite type (a row type, {@code CREATE TYPE ... AS (...)}): its
 * attributes in order, each with its name, type OID and decoded value ({@code null} for SQL
 * NULL). Attributes dropped from the type are not part of it.
 *
 * @param attributes the attributes in the type's order; unmodifiable
 */
public record PgComposite(List<Attribute> attributes) {

    /**
     * One attribute of a composite value.
     *
     * @param name the attribute's name ({@code f1}, {@code f2}, ... for an anonymous record)
     * @param oid the attribute's type OID
     * @param value the decoded value, {@code null} for SQL NULL
     */
    public record Attribute(String name, int oid, Object value) {
        public Attribute {
            Objects.requireNonNull(name, "name");
        }
    }

    public PgComposite {
        attributes = Collections.unmodifiableList(new ArrayList<>(attributes));
        for (Attribute attribute : attributes) {
            Objects.requireNonNull(attribute, "attribute");
        }
    }

    /**
     * The value of the attribute {@code name}; {@code null} for SQL NULL.
     *
     * @throws IllegalArgumentException when there is no such attribute, listing those there are
     */
    public Object get(String name) {
        for (Attribute attribute : attributes) {
            if (attribute.name().equals(name)) {
                return attribute.value();
            }
        }
        throw new IllegalArgumentException("no attribute \"" + name + "\" in composite value with attributes "
                + attributes.stream().map(Attribute::name).toList());
    }

    /** The value of the attribute at {@code index} (from 0); {@code null} for SQL NULL. */
    public Object get(int index) {
        return attributes.get(index).value();
    }
}
