package dev.pgcapture.core.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@code bool}, the integers, {@code oid}, the floats, {@code numeric} and {@code money}.
 * {@code oid} is unsigned, so it decodes to a {@code Long}; {@code money} decodes to a
 * {@code BigDecimal} of scale 2 and prints as {@code lc_monetary=C} does ({@code -$1,234.56}):
 * its binary form is a count of cents, whose meaning depends on the source's {@code lc_monetary},
 * assumed to have two fraction digits.
 */
final class NumberCodecs {

    private static final int NUMERIC_POSITIVE = 0x0000;
    private static final int NUMERIC_NEGATIVE = 0x4000;
    private static final int NUMERIC_NAN = 0xC000;
    private static final int NUMERIC_PINF = 0xD000;
    private static final int NUMERIC_NINF = 0xF000;
    private static final int NUMERIC_MAX_DSCALE = 0x3FFF;
    private static final BigInteger NBASE = BigInteger.valueOf(10_000);

    private NumberCodecs() {
    }

    static List<Codec<?>> all() {
        return List.of(
                Codec.fixed(16, "bool", Boolean.class, 1, NumberCodecs::bool, b -> b ? "t" : "f"),
                Codec.fixed(21, "int2", Short.class, 2, ByteBuffer::getShort, String::valueOf),
                Codec.fixed(23, "int4", Integer.class, 4, ByteBuffer::getInt, String::valueOf),
                Codec.fixed(20, "int8", Long.class, 8, ByteBuffer::getLong, String::valueOf),
                Codec.fixed(26, "oid", Long.class, 4, in -> Integer.toUnsignedLong(in.getInt()), NumberCodecs::oidText),
                Codec.fixed(700, "float4", Float.class, 4, ByteBuffer::getFloat, FloatText::float4),
                Codec.fixed(701, "float8", Double.class, 8, ByteBuffer::getDouble, FloatText::float8),
                new Codec<>(1700, "numeric", PgNumeric.class, NumberCodecs::numeric, NumberCodecs::numericText),
                Codec.fixed(790, "money", BigDecimal.class, 8, in -> BigDecimal.valueOf(in.getLong(), 2), NumberCodecs::moneyText));
    }

    private static Boolean bool(ByteBuffer in) {
        byte b = in.get();
        if (b != 0 && b != 1) {
            throw new Codec.BadValue("bool byte is " + b + ", not 0 or 1");
        }
        return b == 1;
    }

    private static String oidText(Long oid) {
        if (oid < 0 || oid > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("oid " + oid + " is outside 0..4294967295");
        }
        return oid.toString();
    }

    /**
     * {@code numeric_send}: digit count, weight (of the first base-10000 digit), sign, display
     * scale, then the base-10000 digits.
     */
    private static PgNumeric numeric(ByteBuffer in) {
        int ndigits = in.getShort();
        int weight = in.getShort();
        int sign = in.getShort() & 0xFFFF;
        int dscale = in.getShort() & 0xFFFF;
        if (ndigits < 0) {
            throw new Codec.BadValue("numeric digit count " + ndigits + " is negative");
        }
        if (in.remaining() != 2 * ndigits) {
            throw new Codec.BadValue("numeric has " + ndigits + " digits but " + in.remaining() + " bytes of digits");
        }
        switch (sign) {
            case NUMERIC_NAN, NUMERIC_PINF, NUMERIC_NINF -> {
                if (ndigits != 0) {
                    throw new Codec.BadValue("numeric special value 0x" + Integer.toHexString(sign) + " has " + ndigits + " digits");
                }
                return sign == NUMERIC_NAN ? PgNumeric.Special.NAN
                        : sign == NUMERIC_PINF ? PgNumeric.Special.POSITIVE_INFINITY : PgNumeric.Special.NEGATIVE_INFINITY;
            }
            case NUMERIC_POSITIVE, NUMERIC_NEGATIVE -> {
            }
            default -> throw new Codec.BadValue("numeric sign 0x" + Integer.toHexString(sign) + " is not valid");
        }
        if (dscale > NUMERIC_MAX_DSCALE) {
            throw new Codec.BadValue("numeric display scale " + dscale + " is above " + NUMERIC_MAX_DSCALE);
        }
        BigInteger unscaled = BigInteger.ZERO;
        long chunk = 0;
        int inChunk = 0;
        for (int i = 0; i < ndigits; i++) {
            int digit = in.getShort();
            if (digit < 0 || digit > 9999) {
                throw new Codec.BadValue("numeric digit " + digit + " is outside 0..9999");
            }
            // Gather four base-10000 digits in a long before touching the BigInteger.
            chunk = chunk * 10_000 + digit;
            if (++inChunk == 4 || i == ndigits - 1) {
                unscaled = unscaled.multiply(NBASE.pow(inChunk)).add(BigInteger.valueOf(chunk));
                chunk = 0;
                inChunk = 0;
            }
        }
        if (sign == NUMERIC_NEGATIVE) {
            unscaled = unscaled.negate();
        }
        BigDecimal value = new BigDecimal(unscaled, (ndigits - 1 - weight) * 4);
        try {
            return PgNumeric.of(value.setScale(dscale));
        } catch (ArithmeticException e) {
            throw new Codec.BadValue("numeric digits " + value.toPlainString() + " go beyond the display scale " + dscale, e);
        }
    }

    private static String numericText(PgNumeric numeric) {
        return switch (numeric) {
            case PgNumeric.Finite finite -> finite.value().toPlainString();
            case PgNumeric.Special special -> special.text();
        };
    }

    /** {@code cash_out} under {@code lc_monetary=C}: {@code $}, {@code ,} every three digits, two decimals. */
    private static String moneyText(BigDecimal money) {
        BigInteger cents;
        try {
            cents = money.setScale(2).unscaledValue();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("money " + money + " has more than two decimals", e);
        }
        if (cents.bitLength() > 63) {
            throw new IllegalArgumentException("money " + money + " is beyond PostgreSQL's 64-bit range");
        }
        String digits = cents.abs().toString();
        if (digits.length() < 3) {
            digits = "0".repeat(3 - digits.length()) + digits;
        }
        String whole = digits.substring(0, digits.length() - 2);
        StringBuilder out = new StringBuilder(32);
        if (cents.signum() < 0) {
            out.append('-');
        }
        out.append('$');
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) {
                out.append(',');
            }
            out.append(whole.charAt(i));
        }
        return out.append('.').append(digits, digits.length() - 2, digits.length()).toString();
    }
}
