package dev.pgcapture.core.codec;

import java.util.Objects;

/**
 * A PostgreSQL range value: empty, or two bounds, each inclusive, exclusive or unbounded
 * (infinite). The subtype's values are decoded as that type's codec decodes them
 * ({@code Integer} for {@code int4range}, {@code LocalDate} for {@code daterange}, ...).
 *
 * <p>Ranges of discrete types arrive canonical, as PostgreSQL stores them: {@code [1,5]} of an
 * {@code int4range} is {@code [1,6)}.
 *
 * @param <T> the Java type of the bounds
 */
public sealed interface PgRange<T> permits PgRange.Empty, PgRange.Bounded {

    /** The empty range. */
    static <T> PgRange<T> empty() {
        return new Empty<>();
    }

    /** The range between two bounds. */
    static <T> PgRange<T> of(Bound<T> lower, Bound<T> upper) {
        return new Bounded<>(lower, upper);
    }

    /** Whether the range is empty. */
    default boolean isEmpty() {
        return this instanceof Empty;
    }

    /** The empty range, {@code empty}. */
    record Empty<T>() implements PgRange<T> {
    }

    /** A range that is not empty; an unbounded side extends to infinity. */
    record Bounded<T>(Bound<T> lower, Bound<T> upper) implements PgRange<T> {
        public Bounded {
            Objects.requireNonNull(lower, "lower");
            Objects.requireNonNull(upper, "upper");
        }
    }

    /** One side of a range. */
    sealed interface Bound<T> permits Unbounded, Inclusive, Exclusive {

        /** No limit on this side. */
        static <T> Bound<T> unbounded() {
            return new Unbounded<>();
        }

        /** A bound that contains its value. */
        static <T> Bound<T> inclusive(T value) {
            return new Inclusive<>(value);
        }

        /** A bound that excludes its value. */
        static <T> Bound<T> exclusive(T value) {
            return new Exclusive<>(value);
        }
    }

    /** No limit: the range extends to infinity on this side. */
    record Unbounded<T>() implements Bound<T> {
    }

    /** A bound that contains its value. */
    record Inclusive<T>(T value) implements Bound<T> {
        public Inclusive {
            Objects.requireNonNull(value, "an inclusive bound's value (use an unbounded bound for none)");
        }
    }

    /** A bound that excludes its value. */
    record Exclusive<T>(T value) implements Bound<T> {
        public Exclusive {
            Objects.requireNonNull(value, "an exclusive bound's value (use an unbounded bound for none)");
        }
    }
}
