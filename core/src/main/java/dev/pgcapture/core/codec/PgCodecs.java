package dev.pgcapture.core.codec;

import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.TypeDescription;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The codecs by type OID: every built-in type with a codec, plus the user types described to it
 * (enums, domains, composites, ranges, multiranges and arrays of any of these, as the
 * {@code DescribeTypes} RPC answers them). Immutable and thread-safe; {@link #with} returns a
 * new registry.
 *
 * <p>What each type decodes to:
 * <ul>
 *   <li>{@code bool} Boolean; {@code int2} Short; {@code int4} Integer; {@code int8} Long;
 *       {@code oid} Long (unsigned); {@code float4} Float; {@code float8} Double;
 *   <li>{@code numeric} {@link PgNumeric} (a BigDecimal, or NaN/±Infinity);
 *       {@code money} BigDecimal of scale 2;
 *   <li>{@code text}, {@code varchar}, {@code bpchar} (padded), {@code name}, {@code "char"},
 *       {@code json}, {@code jsonb}, {@code jsonpath}, {@code xml}, enums: String;
 *       {@code bit}, {@code varbit}: String of 0s and 1s; {@code macaddr}, {@code macaddr8},
 *       {@code tsvector}: String in the text form; {@code bytea} byte[]; {@code uuid} UUID;
 *       {@code pg_lsn} {@link dev.pgcapture.core.Lsn};
 *   <li>{@code date} LocalDate; {@code time} LocalTime; {@code timetz} OffsetTime;
 *       {@code timestamp} LocalDateTime; {@code timestamptz} OffsetDateTime at UTC;
 *       {@code infinity}/{@code -infinity} are the Java type's {@code MAX}/{@code MIN}, and
 *       {@code 24:00:00} is {@code LocalTime.MAX}; {@code interval} {@link PgInterval};
 *   <li>{@code inet}, {@code cidr} {@link PgInet}; geometric types {@link PgGeometry};
 *   <li>arrays {@link PgArray}; ranges {@link PgRange}; multiranges a List of PgRange;
 *       composites and {@code record} {@link PgComposite}; domains as their base type;
 *   <li>a value in text form, or of a type neither built in nor described, {@link PgUndecoded}.
 * </ul>
 */
public final class PgCodecs {

    private static final Map<Integer, Codec<?>> BUILT_IN = BuiltInTypes.codecs();
    private static final PgCodecs BUILT_IN_ONLY = new PgCodecs(Map.of());

    private final Map<Integer, TypeDescription> descriptions;
    private final Map<Integer, Codec<?>> codecs;

    private PgCodecs(Map<Integer, TypeDescription> descriptions) {
        this.descriptions = descriptions;
        Map<Integer, Codec<?>> all = new HashMap<>(BUILT_IN);
        // Anonymous records name their attributes' types: they decode through this registry.
        Codec<PgComposite> record = CompositeCodecs.anonymous(this::codec);
        all.put(record.oid(), record);
        all.put(BuiltInTypes.RECORD_ARRAY_OID, ArrayCodecs.of(BuiltInTypes.RECORD_ARRAY_OID, "record[]", record, this::codec));
        UserTypes.build(descriptions, all, this::codec);
        this.codecs = Map.copyOf(all);
    }

    /** The built-in types only. */
    public static PgCodecs builtIn() {
        return BUILT_IN_ONLY;
    }

    /**
     * This registry plus the types described in {@code types}; a description of an OID described
     * before replaces the earlier one, and descriptions of built-in types are ignored.
     *
     * @throws IllegalArgumentException when a description lacks what its kind needs (a domain's
     *     base type, an array's element type, ...) or the descriptions are circular
     */
    public PgCodecs with(Iterable<TypeDescription> types) {
        Map<Integer, TypeDescription> merged = new LinkedHashMap<>(descriptions);
        for (TypeDescription type : types) {
            if (!BUILT_IN.containsKey(type.getOid()) && type.getOid() != ArrayCodecs.RECORD_OID
                    && type.getOid() != BuiltInTypes.RECORD_ARRAY_OID) {
                merged.put(type.getOid(), type);
            }
        }
        return new PgCodecs(Collections.unmodifiableMap(merged));
    }

    /**
     * The codec of type {@code oid}. For a type neither built in nor described, a codec that
     * keeps the bytes as {@link PgUndecoded.Binary} (see {@link #knows}).
     */
    public PgCodec<?> forOid(int oid) {
        return codec(oid);
    }

    /** Whether type {@code oid} is built in or was described, so that its values decode. */
    public boolean knows(int oid) {
        Codec<?> codec = codecs.get(oid);
        // A described extension base type (or a domain over one) still decodes to PgUndecoded.
        return codec != null && codec.javaType() != PgUndecoded.class;
    }

    /**
     * The value of a column: {@code null} for SQL NULL, a {@link PgUndecoded.Text} for a value
     * that arrived in text form, else the binary value decoded by its type's codec.
     *
     * @throws PgDecodeException when the binary value is malformed
     */
    public Object decode(Field field) {
        return switch (field.getValueCase()) {
            case BINARY -> codec(field.getOid()).decode(field.getBinary().asReadOnlyByteBuffer());
            case TEXT -> new PgUndecoded.Text(field.getOid(), field.getText());
            case VALUE_NOT_SET -> null;
        };
    }

    /**
     * The binary value {@code binary} of type {@code oid}, decoded.
     *
     * @throws PgDecodeException when the binary value is malformed
     */
    public Object decode(int oid, ByteBuffer binary) {
        return codec(oid).decode(binary);
    }

    /**
     * A decoded value of type {@code oid} in PostgreSQL's text form; a {@link PgUndecoded.Text}
     * gives its text unchanged.
     *
     * @throws IllegalArgumentException when the value is not of the Java type the type decodes to
     * @throws PgDecodeException when the value is a {@link PgUndecoded.Binary}, which has no text form
     */
    public String toText(int oid, Object value) {
        Objects.requireNonNull(value, "value (SQL NULL has no text form)");
        if (value instanceof PgUndecoded.Text text) {
            return text.text();
        }
        return codec(oid).textOf(value);
    }

    Codec<?> codec(int oid) {
        Codec<?> codec = codecs.get(oid);
        return codec != null ? codec : Unknown.codec(oid);
    }
}
