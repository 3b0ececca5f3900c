package dev.pgcapture.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed binary values are refused with a message naming the type and what is wrong. */
class DecodeErrorsTest {

    @ParameterizedTest(name = "OID {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "23|000000|cannot decode a value of type int4 (OID 23): expected 4 bytes, got 3",
        "20|000000000000000001|cannot decode a value of type int8 (OID 20): expected 8 bytes, got 9",
        "16|02|cannot decode a value of type bool (OID 16): bool byte is 2, not 0 or 1",
        "1700|00000000a0000000|cannot decode a value of type numeric (OID 1700): numeric sign 0xa000 is not valid",
        "1700|0001000000000000271000|cannot decode a value of type numeric (OID 1700): numeric has 1 digits but 3 bytes of digits",
        "1700|0001000000000000" + "2710|cannot decode a value of type numeric (OID 1700): numeric digit 10000 is outside 0..9999",
        "1700|0001ffff000000001388|cannot decode a value of type numeric (OID 1700): numeric digits 0.5000 go beyond the display scale 0",
        "25|61ff62|cannot decode a value of type text (OID 25): text is not valid UTF-8: Input length = 1",
        "25|610062|cannot decode a value of type text (OID 25): text holds a NUL byte at offset 1",
        "3802|027b7d|cannot decode a value of type jsonb (OID 3802): jsonb format version 2 is not 1",
        "1083|000000141dd76001|cannot decode a value of type time (OID 1083): time of 86400000001 microseconds is outside 00:00:00..24:00:00",
        "869|05200004c0a80001|cannot decode a value of type inet (OID 869): address family 5 is neither IPv4 (2) nor IPv6 (3)",
        "869|02210004c0a80001|cannot decode a value of type inet (OID 869): prefix length 33 exceeds 32 bits",
        "650|02200004c0a80001|cannot decode a value of type cidr (OID 650): is-cidr flag 0 in a cidr value",
        "1560|00000009ff|cannot decode a value of type bit (OID 1560): bit length 9 needs 2 bytes, got 1",
        "3904|20|cannot decode a value of type int4range (OID 3904): range flags 0x20 hold unknown bits",
        "3904|0a0000000400000005|cannot decode a value of type int4range (OID 3904): lower bound is both infinite and inclusive",
        "1007|000000070000000000000017|cannot decode a value of type int4[] (OID 1007): array has 7 dimensions, PostgreSQL allows 0 to 6",
        "1007|00000001000000000000001900000001000000010000000161|cannot decode a value of type int4[] (OID 1007): array elements are of type OID 25, expected int4 (OID 23)",
        "1007|000000010000000000000017000000010000000100000003000000|cannot decode a value of type int4[] (OID 1007): element 1: cannot decode a value of type int4 (OID 23): expected 4 bytes, got 3",
        "1007|00000001000000000000001700000001000000010000000800000001|cannot decode a value of type int4[] (OID 1007): element 1 has length 8 but only 4 bytes follow",
        "1007|000000010000000000000017000000010000000100000004000000010000|cannot decode a value of type int4[] (OID 1007): 2 bytes left over after the value (30 bytes)",
        "1007|000000010000000000000017000000000000000100000004000000010000|cannot decode a value of type int4[] (OID 1007): array dimension length 0 is not positive",
        "1007|00000001000000000000001700000001000000010000000400000001ffffffff|cannot decode a value of type int4[] (OID 1007): 4 bytes left over after the value (32 bytes)",
        "1007|00000001000000000000001700000002000000010000000400000001ffffffff|cannot decode a value of type int4[] (OID 1007): element 2 is NULL but the array's has-nulls flag is 0",
        "2249|0000000100000017000000040000|cannot decode a value of type record (OID 2249): attribute f1 has length 4 but only 2 bytes follow",
        "1186|0000|cannot decode a value of type interval (OID 1186): expected 16 bytes, got 2",
        "1082||cannot decode a value of type date (OID 1082): expected 4 bytes, got 0",
    })
    void decode_malformedValue_namesTypeAndReason(int oid, String hex, String message) {
        PgDecodeException e = assertThrows(PgDecodeException.class, () -> PgCodecs.builtIn().decode(oid, Fixtures.bytes(hex == null ? "" : hex)));
        assertEquals(message, e.getMessage());
        assertEquals(oid, e.oid());
    }

    @Test
    void decode_compositeOfOtherShape_namesTheAttribute() {
        PgCodecs codecs = UserTypesTest.CODECS;
        PgDecodeException count = assertThrows(PgDecodeException.class,
                () -> codecs.decode(UserTypesTest.PAIR, Fixtures.bytes("0000000100000017ffffffff")));
        assertEquals("cannot decode a value of type public.pair (OID 16401): the value has 1 attributes, the type has 4", count.getMessage());
        PgDecodeException type = assertThrows(PgDecodeException.class, () -> codecs.decode(UserTypesTest.PAIR,
                Fixtures.bytes("0000000400000019ffffffff00004006ffffffff00004005ffffffff0000001900000000")));
        assertEquals("cannot decode a value of type public.pair (OID 16401): attribute n is of type OID 25, the type says int4 (OID 23)",
                type.getMessage());
        assertEquals("public.pair", type.typeName());
        assertEquals("attribute n is of type OID 25, the type says int4 (OID 23)", type.reason());
    }

    @Test
    void decode_truncatedNumeric_saysTheValueEndsEarly() {
        PgDecodeException e = assertThrows(PgDecodeException.class, () -> PgCodecs.builtIn().decode(1700, Fixtures.bytes("000100")));
        assertEquals("cannot decode a value of type numeric (OID 1700): the value ends early (3 bytes)", e.getMessage());
    }

    @Test
    void decode_leavesTheCallersBufferAsItWas() {
        ByteBuffer buffer = Fixtures.bytes("ff0000002a");
        buffer.position(1);
        assertEquals(42, PgCodecs.builtIn().decode(23, buffer));
        assertEquals(1, buffer.position());
        assertEquals(5, buffer.limit());
    }
}
