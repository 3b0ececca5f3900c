package dev.pgcapture.core.codec;

import java.nio.ByteBuffer;

/**
 * Decodes the binary form of one PostgreSQL type (what its {@code typsend} function produces,
 * as binary pgoutput and binary COPY carry it) into a Java value, and renders such a value in
 * PostgreSQL's text form (what the type's output function prints with {@code TimeZone=UTC},
 * {@code DateStyle=ISO}, {@code IntervalStyle=postgres}, {@code extra_float_digits=1} and
 * {@code lc_monetary=C}).
 *
 * <p>Codecs are pure and thread-safe: bytes in, value out, no I/O. Obtain them from
 * {@link PgCodecs}.
 *
 * @param <T> the Java type values decode to
 */
public interface PgCodec<T> {

    /** The OID of the type, as the source assigned it. */
    int oid();

    /** The type's name for messages, e.g. {@code int4}, {@code int4[]} or {@code public.mood}. */
    String typeName();

    /**
     * The OID of the type this type's values are made of: an array's element type, a range's
     * subtype, a multirange's range type (for a domain over one of these, the same as its base
     * type's); 0 for every other type. The text form of an element of a decoded array is
     * {@code codecs.toText(codec.elementOid(), element)}.
     */
    int elementOid();

    /** The class of the values {@link #decode} returns. */
    Class<T> javaType();

    /**
     * Decodes the value in {@code binary}'s remaining bytes (position to limit). The buffer's
     * position, limit and order are left as they were.
     *
     * @throws PgDecodeException when the bytes are not exactly one well-formed value of the type
     */
    T decode(ByteBuffer binary);

    /**
     * The value in PostgreSQL's text form.
     *
     * @throws IllegalArgumentException when the value cannot be a value of the type (out of its range)
     * @throws PgDecodeException when the type has no text form here (a type that is not known)
     */
    String toText(T value);
}
