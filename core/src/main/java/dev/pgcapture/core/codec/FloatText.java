package dev.pgcapture.core.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * {@code float4} and {@code float8} as PostgreSQL prints them with {@code extra_float_digits}
 * above zero (its default since PostgreSQL 12): the shortest decimal that reads back as the same
 * value, the closest such one to the exact value, in plain notation for decimal exponents from
 * -4 up to 14 ({@code float8}) or 5 ({@code float4}), else as {@code 1.5e+16}.
 *
 * <p>PostgreSQL's shortest decimal lies strictly inside the value's rounding interval (a decimal
 * exactly halfway to a neighbour does not count), so it can be longer than Java's:
 * {@code 1e23} prints {@code 9.999999999999999e+22}. Java's {@code Double.toString} can also
 * prefer two digits where one would do ({@code 4.9E-324} for PostgreSQL's {@code 5e-324}), so the
 * digits are found here from the exact binary value.
 */
final class FloatText {

    private static final int DOUBLE_MAX_PLAIN_EXPONENT = 15;
    private static final int FLOAT_MAX_PLAIN_EXPONENT = 6;

    private FloatText() {
    }

    static String float8(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        double magnitude = Math.abs(value);
        boolean lowerGapHalved = Math.getExponent(magnitude) > Double.MIN_EXPONENT
                && Double.doubleToRawLongBits(magnitude) % (1L << 52) == 0;
        BigDecimal exact = new BigDecimal(magnitude);
        BigDecimal halfUlp = new BigDecimal(Math.ulp(magnitude)).divide(BigDecimal.TWO);
        BigDecimal low = exact.subtract(lowerGapHalved ? halfUlp.divide(BigDecimal.TWO) : halfUlp);
        BigDecimal high = exact.add(halfUlp);
        return format(value < 0, shortest(exact, low, high), DOUBLE_MAX_PLAIN_EXPONENT);
    }

    static String float4(float value) {
        if (Float.isNaN(value)) {
            return "NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        float magnitude = Math.abs(value);
        boolean lowerGapHalved = Math.getExponent(magnitude) > Float.MIN_EXPONENT
                && Float.floatToRawIntBits(magnitude) % (1 << 23) == 0;
        BigDecimal exact = new BigDecimal(magnitude);
        BigDecimal halfUlp = new BigDecimal(Math.ulp(magnitude)).divide(BigDecimal.TWO);
        BigDecimal low = exact.subtract(lowerGapHalved ? halfUlp.divide(BigDecimal.TWO) : halfUlp);
        BigDecimal high = exact.add(halfUlp);
        return format(value < 0, shortest(exact, low, high), FLOAT_MAX_PLAIN_EXPONENT);
    }

    /**
     * The decimal with the fewest significant digits strictly between {@code low} and
     * {@code high}, the closest to {@code exact} among those (ties to even), without trailing
     * zeros.
     */
    private static BigDecimal shortest(BigDecimal exact, BigDecimal low, BigDecimal high) {
        int exponent = exact.precision() - exact.scale() - 1;
        for (int digits = 1; ; digits++) {
            int scale = digits - 1 - exponent; // candidates are multiples of 10^-scale
            BigDecimal nearest = exact.setScale(scale, RoundingMode.HALF_EVEN);
            if (inside(nearest, low, high)) {
                return nearest.stripTrailingZeros();
            }
            BigDecimal step = BigDecimal.ONE.scaleByPowerOfTen(-scale);
            BigDecimal other = nearest.compareTo(exact) < 0 ? nearest.add(step) : nearest.subtract(step);
            if (inside(other, low, high)) {
                return other.stripTrailingZeros();
            }
        }
    }

    private static boolean inside(BigDecimal candidate, BigDecimal low, BigDecimal high) {
        return candidate.compareTo(low) > 0 && candidate.compareTo(high) < 0;
    }

    private static String format(boolean negative, BigDecimal decimal, int maxPlainExponent) {
        BigInteger unscaled = decimal.unscaledValue();
        String digits = unscaled.toString();
        int exponent = digits.length() - 1 - decimal.scale();
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        if (exponent >= -4 && exponent < maxPlainExponent) {
            if (exponent < 0) {
                out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
            } else if (digits.length() <= exponent + 1) {
                out.append(digits).append("0".repeat(exponent + 1 - digits.length()));
            } else {
                out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int absolute = Math.abs(exponent);
            if (absolute < 10) {
                out.append('0');
            }
            out.append(absolute);
        }
        return out.toString();
    }
}
