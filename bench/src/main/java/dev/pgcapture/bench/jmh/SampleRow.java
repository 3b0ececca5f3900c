package dev.pgcapture.bench.jmh;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.codec.PgArray;
import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.core.codec.PgNumeric;
import dev.pgcapture.proto.Field;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The 10-column row the micro-benchmarks decode, a realistic product row:
 * <pre>
 * create table items (id int8 primary key, sku text, name text, price numeric(12,2), qty int4,
 *     active bool, created_at timestamptz, tags text[], attrs jsonb, uuid uuid)
 * </pre>
 * with every column in binary form, as binary pgoutput sends it. {@link #verify} proves the
 * bytes decode to the values they were written from. The bytes of every value and of
 * {@link #pgoutputInsert()} were compared once with PostgreSQL 15's: identical ({@code *_send}
 * of each literal, and the Insert of this row as {@code pg_logical_slot_get_binary_changes} gave
 * it with {@code binary 'true'}, {@code proto_version '2'}, the table's OID being 16384).
 */
public final class SampleRow {

    /** The table's OID in the pgoutput messages: the first a fresh cluster assigns. */
    public static final long RELATION_OID = 16_384;

    public static final long ID = 1_234_567_890_123L;
    public static final String SKU = "SKU-00042-BLU";
    public static final String NAME = "Stainless steel water bottle 1L";
    public static final BigDecimal PRICE = new BigDecimal("1249.90");
    public static final int QTY = 42;
    public static final boolean ACTIVE = true;
    public static final Instant CREATED_AT = Instant.parse("2026-11-21T03:22:26.123456Z");
    public static final List<String> TAGS = List.of("kitchen", "outdoor", "steel");
    /** In jsonb's normalized text form (keys by length, then bytes), as {@code jsonb_send} writes it. */
    public static final String ATTRS = "{\"size\": \"1L\", \"color\": \"blue\", \"finish\": \"matte\", \"weight\": 0.35}";
    public static final UUID UUID_VALUE = UUID.fromString("3f2c8a4e-9b1d-4c7e-a5f0-6d2b8e1c9a47");

    /**
     * One column: its name, type OID, type name, modifier ({@code atttypmod}), the value as
     * {@link PgCodecs} decodes it, and its binary form.
     */
    public record Column(String name, int oid, String typeName, int typeModifier, Object decoded, byte[] binary) {
    }

    /** The columns in the table's order. */
    public static final List<Column> COLUMNS = List.of(
            new Column("id", 20, "int8", -1, ID, PgBinary.int8(ID)),
            new Column("sku", 25, "text", -1, SKU, PgBinary.text(SKU)),
            new Column("name", 25, "text", -1, NAME, PgBinary.text(NAME)),
            // numeric(12,2): atttypmod is ((precision << 16) | scale) + 4.
            new Column("price", 1700, "numeric", ((12 << 16) | 2) + 4, PgNumeric.of(PRICE), PgBinary.numeric(PRICE)),
            new Column("qty", 23, "int4", -1, QTY, PgBinary.int4(QTY)),
            new Column("active", 16, "bool", -1, ACTIVE, PgBinary.bool(ACTIVE)),
            new Column("created_at", 1184, "timestamptz", -1, CREATED_AT.atOffset(ZoneOffset.UTC), PgBinary.timestamptz(CREATED_AT)),
            new Column("tags", 1009, "text[]", -1, PgArray.of(TAGS), PgBinary.textArray(TAGS)),
            new Column("attrs", 3802, "jsonb", -1, ATTRS, PgBinary.jsonb(ATTRS)),
            new Column("uuid", 2950, "uuid", -1, UUID_VALUE, PgBinary.uuid(UUID_VALUE)));

    private SampleRow() {
    }

    /** The column of type {@code typeName} (the first, for {@code text}). */
    public static Column column(String typeName) {
        return COLUMNS.stream().filter(column -> column.typeName().equals(typeName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the sample row has no column of type " + typeName
                        + "; its types: " + COLUMNS.stream().map(Column::typeName).distinct().toList()));
    }

    /** The row as the Fields of a Change, every value binary. */
    public static List<Field> fields() {
        List<Field> fields = new ArrayList<>(COLUMNS.size());
        for (Column column : COLUMNS) {
            fields.add(Field.newBuilder().setName(column.name()).setOid(column.oid())
                    .setBinary(ByteString.copyFrom(column.binary())).build());
        }
        return List.copyOf(fields);
    }

    /**
     * The table as a pgoutput Relation message ({@code 'R'}, OID, namespace, name, replica
     * identity {@code 'd'}, the column count, then flags, name, type OID and modifier per
     * column; {@code id} is the key).
     */
    public static byte[] pgoutputRelation() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('R');
        out.writeBytes(PgBinary.int4((int) RELATION_OID));
        writeCString(out, "public");
        writeCString(out, "items");
        out.write('d');
        out.writeBytes(ByteBuffer.allocate(Short.BYTES).putShort((short) COLUMNS.size()).array());
        for (Column column : COLUMNS) {
            out.write(column.name().equals("id") ? 1 : 0);
            writeCString(out, column.name());
            out.writeBytes(PgBinary.int4(column.oid()));
            out.writeBytes(PgBinary.int4(column.typeModifier()));
        }
        return out.toByteArray();
    }

    private static void writeCString(ByteArrayOutputStream out, String value) {
        out.writeBytes(PgBinary.text(value));
        out.write(0);
    }

    /**
     * The row as a pgoutput Insert message ({@code 'I'}, relation OID, {@code 'N'}, the column
     * count, then {@code 'b'}, length and bytes per column).
     */
    public static byte[] pgoutputInsert() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('I');
        out.writeBytes(PgBinary.int4((int) RELATION_OID));
        out.write('N');
        out.writeBytes(ByteBuffer.allocate(Short.BYTES).putShort((short) COLUMNS.size()).array());
        for (Column column : COLUMNS) {
            out.write('b');
            out.writeBytes(PgBinary.int4(column.binary().length));
            out.writeBytes(column.binary());
        }
        return out.toByteArray();
    }

    /**
     * Decodes every column with {@code codecs} and compares it with the value it was written
     * from.
     *
     * @throws IllegalStateException naming the first column that decodes to something else
     */
    public static void verify(PgCodecs codecs) {
        for (Column column : COLUMNS) {
            Object decoded = codecs.decode(column.oid(), ByteBuffer.wrap(column.binary()));
            if (!Objects.equals(decoded, column.decoded())) {
                throw new IllegalStateException("sample column " + column.name() + " (" + column.typeName() + ") decodes to "
                        + decoded + ", not " + column.decoded() + " that it was written from");
            }
        }
    }
}
