package dev.pgcapture.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Values in PostgreSQL's binary send format ({@code int8send}, {@code numeric_send}, ...), the
 * bytes binary pgoutput carries in a Field, for the types of {@link SampleRow}. Written from
 * PostgreSQL's formats, and checked against the codecs' decoding by {@link SampleRow#verify}.
 */
public final class PgBinary {

    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch. */
    private static final Instant PG_EPOCH = Instant.parse("2000-01-01T00:00:00Z");
    private static final int NUMERIC_NEGATIVE = 0x4000;
    private static final int NUMERIC_BASE_DIGITS = 4;
    private static final int TEXT_OID = 25;

    private PgBinary() {
    }

    /** {@code int8send}: 8 bytes, big-endian. */
    public static byte[] int8(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** {@code int4send}: 4 bytes, big-endian. */
    public static byte[] int4(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
    }

    /** {@code boolsend}: one byte, 1 or 0. */
    public static byte[] bool(boolean value) {
        return new byte[] {(byte) (value ? 1 : 0)};
    }

    /** {@code textsend}: the UTF-8 bytes (the client encoding). */
    public static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code jsonb_send}: version byte 1, then the text, which should be in jsonb's normalized form. */
    public static byte[] jsonb(String value) {
        byte[] text = text(value);
        return ByteBuffer.allocate(1 + text.length).put((byte) 1).put(text).array();
    }

    /** {@code uuid_send}: the 16 bytes, most significant first. */
    public static byte[] uuid(UUID value) {
        return ByteBuffer.allocate(16).putLong(value.getMostSignificantBits()).putLong(value.getLeastSignificantBits()).array();
    }

    /** {@code timestamptz_send}: microseconds since 2000-01-01 UTC; sub-microsecond digits are dropped. */
    public static byte[] timestamptz(Instant value) {
        Duration since = Duration.between(PG_EPOCH, value);
        long micros = Math.addExact(Math.multiplyExact(since.getSeconds(), 1_000_000L), since.getNano() / 1_000);
        return int8(micros);
    }

    /**
     * {@code numeric_send} of a finite value: digit count, weight of the first base-10000 digit,
     * sign, display scale (the value's scale), then the base-10000 digits without leading or
     * trailing zero digits.
     */
    public static byte[] numeric(BigDecimal value) {
        BigDecimal scaled = value.scale() < 0 ? value.setScale(0) : value;
        int dscale = scaled.scale();
        String plain = scaled.abs().toPlainString();
        int point = plain.indexOf('.');
        String integer = point < 0 ? plain : plain.substring(0, point);
        String fraction = point < 0 ? "" : plain.substring(point + 1);
        integer = "0".repeat((NUMERIC_BASE_DIGITS - integer.length() % NUMERIC_BASE_DIGITS) % NUMERIC_BASE_DIGITS) + integer;
        fraction = fraction + "0".repeat((NUMERIC_BASE_DIGITS - fraction.length() % NUMERIC_BASE_DIGITS) % NUMERIC_BASE_DIGITS);
        String all = integer + fraction;
        List<Integer> digits = new ArrayList<>();
        for (int i = 0; i < all.length(); i += NUMERIC_BASE_DIGITS) {
            digits.add(Integer.parseInt(all.substring(i, i + NUMERIC_BASE_DIGITS)));
        }
        int weight = integer.length() / NUMERIC_BASE_DIGITS - 1;
        while (!digits.isEmpty() && digits.getFirst() == 0) {
            digits.removeFirst();
            weight--;
        }
        while (!digits.isEmpty() && digits.getLast() == 0) {
            digits.removeLast();
        }
        if (digits.isEmpty()) {
            weight = 0;
        }
        int sign = scaled.signum() < 0 ? NUMERIC_NEGATIVE : 0;
        ByteBuffer out = ByteBuffer.allocate(8 + 2 * digits.size());
        out.putShort((short) digits.size()).putShort((short) weight).putShort((short) sign).putShort((short) dscale);
        digits.forEach(digit -> out.putShort(digit.shortValue()));
        return out.array();
    }

    /**
     * {@code array_send} of a non-empty one-dimensional {@code text[]} without NULLs: dimension count 1,
     * no-NULLs flag, element type {@code text}, length and lower bound 1, then each element's
     * length and bytes.
     */
    public static byte[] textArray(List<String> elements) {
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("an empty array has no dimensions: this writer covers non-empty arrays only");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(int4(1));
        out.writeBytes(int4(0));
        out.writeBytes(int4(TEXT_OID));
        out.writeBytes(int4(elements.size()));
        out.writeBytes(int4(1));
        for (String element : elements) {
            byte[] bytes = text(element);
            out.writeBytes(int4(bytes.length));
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
