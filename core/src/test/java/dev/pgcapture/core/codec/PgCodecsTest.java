package dev.pgcapture.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.TypeDescription;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgCodecsTest {

    private static final PgCodecs CODECS = PgCodecs.builtIn();

    @Test
    void decode_binaryField_decodesByItsOid() {
        Field field = Field.newBuilder().setName("id").setOid(23).setBinary(ByteString.fromHex("0000002a")).build();
        assertEquals(42, CODECS.decode(field));
    }

    @Test
    void decode_textField_keepsThePostgresTextAndPrintsItUnchanged() {
        Field field = Field.newBuilder().setName("n").setOid(23).setText("42").build();
        Object value = CODECS.decode(field);
        assertEquals(new PgUndecoded.Text(23, "42"), value);
        assertEquals("42", CODECS.toText(23, value));
    }

    @Test
    void decode_textFieldOfATypeNeitherBuiltInNorDescribed_stillPrintsItsText() {
        Field field = Field.newBuilder().setName("acl").setOid(1033).setText("pg_monitor=r*/pg_read_all_data").build();
        Object value = CODECS.decode(field);
        assertFalse(CODECS.knows(1033));
        assertEquals(new PgUndecoded.Text(1033, "pg_monitor=r*/pg_read_all_data"), value);
        assertEquals("pg_monitor=r*/pg_read_all_data", CODECS.toText(1033, value));
    }

    @Test
    void decode_fieldWithoutValue_isSqlNull() {
        assertNull(CODECS.decode(Field.newBuilder().setName("n").setOid(23).build()));
    }

    @Test
    void decode_unknownOid_keepsTheBytesAndHasNoTextForm() {
        Field field = Field.newBuilder().setName("h").setOid(16999).setBinary(ByteString.fromHex("0102")).build();
        Object value = CODECS.decode(field);
        assertEquals(new PgUndecoded.Binary(16999, new byte[] {1, 2}), value);
        assertFalse(CODECS.knows(16999));
        PgDecodeException e = assertThrows(PgDecodeException.class, () -> CODECS.toText(16999, value));
        assertEquals("cannot decode a value of type <unknown> (OID 16999): the type is neither built in nor described, so its binary"
                + " value has no text form", e.getMessage());
    }

    @Test
    void knows_everyBuiltInTypeAndItsArray() {
        int[] oids = {16, 21, 23, 20, 26, 700, 701, 1700, 790, 25, 1043, 1042, 19, 18, 17, 2950, 114, 3802, 142, 1082, 1083, 1266, 1114,
            1184, 1186, 869, 650, 829, 774, 1560, 1562, 600, 628, 601, 603, 602, 604, 718, 3614, 3904, 3926, 3906, 3908, 3910, 3912, 4451,
            4536, 4532, 4533, 4534, 4535, 2249, 3220, 4072};
        for (int oid : oids) {
            assertTrue(CODECS.knows(oid), "type OID " + oid);
        }
        assertEquals(List.of("int4[]", "record[]", "int4multirange[]"),
                List.of(CODECS.forOid(1007).typeName(), CODECS.forOid(2287).typeName(), CODECS.forOid(6150).typeName()));
    }

    @Test
    void forOid_givesTheCodecWithItsJavaType() {
        PgCodec<?> codec = CODECS.forOid(1082);
        assertEquals(1082, codec.oid());
        assertEquals("date", codec.typeName());
        assertEquals(LocalDate.class, codec.javaType());
        assertEquals(PgNumeric.class, CODECS.forOid(1700).javaType());
        assertEquals(PgArray.class, CODECS.forOid(1007).javaType());
    }

    @Test
    void elementOid_namesWhatArraysRangesAndMultirangesAreMadeOf() {
        assertEquals(23, CODECS.forOid(1007).elementOid(), "int4[]");
        assertEquals(2249, CODECS.forOid(2287).elementOid(), "record[]");
        assertEquals(4451, CODECS.forOid(6150).elementOid(), "int4multirange[]");
        assertEquals(23, CODECS.forOid(3904).elementOid(), "int4range");
        assertEquals(3904, CODECS.forOid(4451).elementOid(), "int4multirange");
        assertEquals(0, CODECS.forOid(23).elementOid(), "int4");
        assertEquals(0, CODECS.forOid(999_999).elementOid(), "a type that is not known");
        PgCodecs described = CODECS.with(UserTypesTest.DESCRIPTIONS);
        assertEquals(UserTypesTest.MOOD, described.forOid(UserTypesTest.MOODS).elementOid(), "a domain over mood[]");
        assertEquals(UserTypesTest.POSINT, described.forOid(UserTypesTest.POSINT_ARRAY).elementOid(), "posint[]");
    }

    @Test
    void toText_valueOfAnotherJavaType_isRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODECS.toText(23, "42"));
        assertEquals("int4 (OID 23) values are Integer, not java.lang.String", e.getMessage());
    }

    @Test
    void toText_timestamptzAtAnotherOffset_printsItInUtc() {
        OffsetDateTime paris = OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2));
        assertEquals("2024-06-01 10:00:00+00", CODECS.toText(1184, paris));
    }

    @Test
    void toText_moneyWithMoreThanTwoDecimals_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODECS.toText(790, new BigDecimal("1.005")));
        assertEquals("money 1.005 has more than two decimals", e.getMessage());
    }

    @Test
    void with_descriptionOfABuiltInType_leavesTheBuiltInCodec() {
        TypeDescription int4AsEnum = TypeDescription.newBuilder().setOid(23).setName("int4").setKind(TypeDescription.Kind.ENUM).build();
        assertEquals(42, CODECS.with(List.of(int4AsEnum)).decode(23, Fixtures.bytes("0000002a")));
    }

    @Test
    void numeric_specialValues_haveNoBigDecimal() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> PgNumeric.Special.NAN.bigDecimal());
        assertEquals("numeric NaN has no BigDecimal value", e.getMessage());
        assertEquals(new BigDecimal("1.50"), PgNumeric.of(new BigDecimal("1.50")).bigDecimal());
    }

    @Test
    void undecodedBinary_comparesByContent() {
        byte[] bytes = HexFormat.of().parseHex("0102");
        PgUndecoded.Binary binary = new PgUndecoded.Binary(1, bytes);
        bytes[0] = 9;
        assertEquals(new PgUndecoded.Binary(1, new byte[] {1, 2}), binary);
        assertEquals(new PgUndecoded.Binary(1, new byte[] {1, 2}).hashCode(), binary.hashCode());
    }
}
