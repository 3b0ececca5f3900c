package dev.pgcapture.agent.replica;

import java.util.List;

/**
 * How a binary value of a PostgreSQL type is laid out, as far as embedded type OIDs go: arrays
 * and composites name the OIDs of their elements and attributes, domains, ranges and multiranges
 * wrap values of another type, everything else is opaque.
 */
public sealed interface TypeShape {

    /** A value that embeds no type OIDs (base types, enums). */
    record Scalar() implements TypeShape {
    }

    /** An array ({@code array_send}): its header names {@code element}. */
    record Array(int element) implements TypeShape {
    }

    /** A composite ({@code record_send}): each attribute is preceded by its type OID. */
    record Composite(List<Integer> attributes) implements TypeShape {

        public Composite {
            attributes = List.copyOf(attributes);
        }
    }

    /** A domain: sent as its base type. */
    record Domain(int base) implements TypeShape {
    }

    /** A range ({@code range_send}): bounds are values of {@code subtype}. */
    record Range(int subtype) implements TypeShape {
    }

    /** A multirange ({@code multirange_send}): a count, then values of {@code range}. */
    record Multirange(int range) implements TypeShape {
    }
}
