package dev.pgcapture.core.codec;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A PostgreSQL {@code numeric}: a {@link BigDecimal}, or one of the three special values a
 * {@code BigDecimal} cannot hold ({@code NaN}, {@code Infinity}, {@code -Infinity}).
 *
 * <p>A finite value keeps the scale PostgreSQL displays: {@code 1.50} decodes to a
 * {@code BigDecimal} of scale 2, and prints as {@code 1.50} again.
 */
public sealed interface PgNumeric permits PgNumeric.Finite, PgNumeric.Special {

    /** A finite numeric. */
    static PgNumeric of(BigDecimal value) {
        return new Finite(value);
    }

    /** Whether this is a number, not NaN or an infinity. */
    default boolean isFinite() {
        return this instanceof Finite;
    }

    /**
     * The value as a {@code BigDecimal}.
     *
     * @throws ArithmeticException for NaN and the infinities, naming which
     */
    default BigDecimal bigDecimal() {
        return switch (this) {
            case Finite finite -> finite.value();
            case Special special -> throw new ArithmeticException("numeric " + special.text() + " has no BigDecimal value");
        };
    }

    /** A finite numeric value, at PostgreSQL's display scale. */
    record Finite(BigDecimal value) implements PgNumeric {
        public Finite {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The numeric values that are not numbers. */
    enum Special implements PgNumeric {
        NAN("NaN"),
        POSITIVE_INFINITY("Infinity"),
        NEGATIVE_INFINITY("-Infinity");

        private final String text;

        Special(String text) {
            this.text = text;
        }

        /** How PostgreSQL prints it: {@code NaN}, {@code Infinity} or {@code -Infinity}. */
        public String text() {
            return text;
        }
    }
}
