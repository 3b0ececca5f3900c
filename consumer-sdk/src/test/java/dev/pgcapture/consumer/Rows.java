package dev.pgcapture.consumer;

import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.core.codec.PgUndecoded;
import dev.pgcapture.proto.TypeAttribute;
import dev.pgcapture.proto.TypeDescription;
import dev.pgcapture.proto.TypeDescription.Kind;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

/**
 * Rows for tests, with values decoded from binary values as PostgreSQL 17's {@code *_send}
 * functions produced them (the hex is the same as core's codec fixtures), through codecs that
 * also know these user types:
 * <pre>
 * CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'très bien');
 * CREATE TYPE pair AS (n int, m mood, ms mood[], t text);
 * </pre>
 */
final class Rows {

    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int JSON = 114;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int MONEY = 790;
    static final int INT4_ARRAY = 1007;
    static final int TIMESTAMPTZ = 1184;
    static final int NUMERIC = 1700;
    static final int JSONB = 3802;
    static final int MOOD = 16390;
    static final int MOOD_ARRAY = 16389;
    static final int PAIR = 16401;
    static final int PAIR_ARRAY = 16400;

    /** {@code ROW(1, 'ok', '{ok,sad}', 'a "q" b')::pair}. */
    static final String PAIR_1_OK = "0000000400000017000000040000000100004006000000026f6b00004005000000210000000100000000000040060000000200000001"
            + "000000026f6b00000003736164000000190000000761202271222062";
    /** {@code ARRAY[ROW(2, 'sad', '{happy}', NULL)::pair, NULL]}. */
    static final String PAIR_ARRAY_2_SAD_NULL = "000000010000000100004011000000020000000100000048000000040000001700000004000000020000400600000003736164"
            + "000040050000001d000000010000000000004006000000010000000100000005686170707900000019ffffffffffffffff";
    /** {@code '{1,NULL,3}'::int4[]}. */
    static final String INT4_ARRAY_1_NULL_3 = "00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003";
    /** {@code '{{1,2},{3,NULL}}'::int4[]}. */
    static final String INT4_ARRAY_2D = "00000002000000010000001700000002000000010000000200000001000000040000000100000004000000020000000400000003"
            + "ffffffff";

    static final PgCodecs CODECS = PgCodecs.builtIn().with(List.of(
            type(MOOD, "mood", Kind.ENUM).addAllLabels(List.of("sad", "ok", "happy", "très bien")).build(),
            type(MOOD_ARRAY, "_mood", Kind.ARRAY).setElementOid(MOOD).setSqlName("mood[]").build(),
            type(PAIR, "pair", Kind.COMPOSITE).addAttributes(attribute("n", INT4)).addAttributes(attribute("m", MOOD))
                    .addAttributes(attribute("ms", MOOD_ARRAY)).addAttributes(attribute("t", TEXT)).build(),
            type(PAIR_ARRAY, "_pair", Kind.ARRAY).setElementOid(PAIR).setSqlName("pair[]").build()));

    private Rows() {
    }

    /** The value of type {@code oid} whose binary form is {@code hex}, decoded. */
    static Object decode(int oid, String hex) {
        return CODECS.decode(oid, ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
    }

    /** A column holding the value of type {@code oid} whose binary form is {@code hex}. */
    static Row.Column column(String name, int oid, String hex) {
        return new Row.Column(name, oid, PgValue.of(decode(oid, hex)));
    }

    /** A column holding a value that arrived in text form. */
    static Row.Column textForm(String name, int oid, String text) {
        return new Row.Column(name, oid, PgValue.of(new PgUndecoded.Text(oid, text)));
    }

    static Row.Column sqlNull(String name, int oid) {
        return new Row.Column(name, oid, PgValue.sqlNull());
    }

    static Row.Column unchangedToast(String name, int oid) {
        return new Row.Column(name, oid, PgValue.unchangedToast());
    }

    static Row row(Row.Column... columns) {
        return new Row(List.of(columns), CODECS);
    }

    private static TypeDescription.Builder type(int oid, String name, Kind kind) {
        return TypeDescription.newBuilder().setOid(oid).setSchema("public").setName(name).setKind(kind);
    }

    private static TypeAttribute attribute(String name, int oid) {
        return TypeAttribute.newBuilder().setName(name).setOid(oid).build();
    }
}
