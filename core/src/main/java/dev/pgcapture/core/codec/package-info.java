/**
 * PostgreSQL binary type codecs, shared by every module: decode the binary form of a value
 * ({@code typsend}'s output, as binary {@code pgoutput} and binary COPY carry it) by its type
 * OID into a Java value, and render such a value in PostgreSQL's text form.
 *
 * <p>{@link dev.pgcapture.core.codec.PgCodecs} is the registry: built-in types, plus user types
 * described by the {@code DescribeTypes} RPC; {@link dev.pgcapture.core.codec.PgCodec} is one
 * type's codec. Codecs are pure (bytes in, value out; no catalog queries, no I/O), and a
 * malformed value throws a {@link dev.pgcapture.core.codec.PgDecodeException} naming the type
 * and the reason, never a partial value.
 *
 * <p>Where a Java type cannot hold a PostgreSQL value, the value type says so:
 * {@link dev.pgcapture.core.codec.PgNumeric} for numeric's NaN and infinities,
 * {@link dev.pgcapture.core.codec.PgInterval} for intervals (months, days and microseconds
 * apart), {@link dev.pgcapture.core.codec.PgUndecoded} for values kept as they came. Date and
 * time infinities are the Java type's {@code MAX} and {@code MIN}, which lie outside
 * PostgreSQL's range, so that no finite value can be mistaken for them; {@code 24:00:00} is
 * {@link java.time.LocalTime#MAX}.
 *
 * <p>The text form is the type's output function with {@code TimeZone=UTC},
 * {@code DateStyle=ISO}, {@code IntervalStyle=postgres}, {@code extra_float_digits=1} and
 * {@code lc_monetary=C}: what {@code SELECT col} prints, and what {@code col::text} prints for
 * every type but four whose casts to text are not their output functions: {@code bool}
 * ({@code true}/{@code false} for {@code t}/{@code f}), {@code inet} (always with the prefix
 * length), {@code bpchar} (trailing blanks removed) and {@code xml} (the stored text verbatim,
 * where the output function and {@code xml_send} drop or normalise a leading XML declaration, so
 * the binary form no longer holds it). Arrays, composites and ranges print their parts with the
 * output functions.
 *
 * <p>Text fallback: a value that arrives in text form decodes to
 * {@link dev.pgcapture.core.codec.PgUndecoded.Text}, whatever its type, and renders as that text
 * unchanged, since it already is the output function's text. Binary {@code pgoutput} sends a
 * column in text form when its type has no binary send function ({@code aclitem}, for one), and a
 * text-mode stream sends every value so. A binary value of a type neither built in nor described
 * decodes to {@link dev.pgcapture.core.codec.PgUndecoded.Binary}, which has no text form.
 */
package dev.pgcapture.core.codec;
