package dev.pgcapture.core.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A PostgreSQL array: its dimensions, each with its length and lower bound, and its elements in
 * row-major order (the last dimension varies fastest), SQL NULL elements as {@code null}.
 *
 * <p>An empty array has no dimensions and no elements; PostgreSQL has no empty array with
 * dimensions. The element count is always the product of the dimension lengths.
 *
 * @param dimensions the dimensions, outermost first (PostgreSQL allows up to 6)
 * @param elements every element, row-major; unmodifiable, may hold nulls
 * @param <E> the Java type of the elements
 */
public record PgArray<E>(List<Dimension> dimensions, List<E> elements) {

    /** PostgreSQL's {@code MAXDIM}. */
    public static final int MAX_DIMENSIONS = 6;

    /**
     * One dimension of an array.
     *
     * @param length the number of elements along it (at least 1)
     * @param lowerBound the index of its first element (1 unless the array says otherwise)
     */
    public record Dimension(int length, int lowerBound) {
        public Dimension {
            if (length < 1) {
                throw new IllegalArgumentException("array dimension length " + length + " is not positive");
            }
            if ((long) lowerBound + length - 1 > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("array dimension [" + lowerBound + ":...] of length " + length
                        + " has an upper bound beyond 2147483647");
            }
        }

        /** The index of its last element. */
        public int upperBound() {
            return lowerBound + length - 1;
        }
    }

    public PgArray {
        dimensions = List.copyOf(dimensions);
        elements = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(elements, "elements")));
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("array has " + dimensions.size() + " dimensions, PostgreSQL allows at most "
                    + MAX_DIMENSIONS);
        }
        long count = dimensions.isEmpty() ? 0 : 1;
        for (Dimension dimension : dimensions) {
            count *= dimension.length();
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("array dimensions " + dimensions + " hold more than 2147483647 elements");
            }
        }
        if (count != elements.size()) {
            throw new IllegalArgumentException("array dimensions " + dimensions + " hold " + count + " elements, not "
                    + elements.size());
        }
    }

    /** The empty array, {@code {}}. */
    public static <E> PgArray<E> empty() {
        return new PgArray<>(List.of(), List.of());
    }

    /** A one-dimensional array with lower bound 1; an empty list gives the empty array. */
    public static <E> PgArray<E> of(List<E> elements) {
        return elements.isEmpty() ? empty() : new PgArray<>(List.of(new Dimension(elements.size(), 1)), elements);
    }

    /** Whether the array has no elements. */
    public boolean isEmpty() {
        return elements.isEmpty();
    }

    /**
     * The elements as nested lists, one level per dimension ({@code {{1,2},{3,4}}} gives
     * {@code [[1, 2], [3, 4]]}); lower bounds are not kept.
     */
    public List<?> toNestedList() {
        if (dimensions.isEmpty()) {
            return List.of();
        }
        return nest(0, 0);
    }

    private List<?> nest(int dimension, int offset) {
        int length = dimensions.get(dimension).length();
        if (dimension == dimensions.size() - 1) {
            return elements.subList(offset, offset + length);
        }
        int stride = 1;
        for (int i = dimension + 1; i < dimensions.size(); i++) {
            stride *= dimensions.get(i).length();
        }
        List<Object> nested = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            nested.add(nest(dimension + 1, offset + i * stride));
        }
        return Collections.unmodifiableList(nested);
    }
}
