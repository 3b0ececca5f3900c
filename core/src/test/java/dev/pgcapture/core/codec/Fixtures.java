package dev.pgcapture.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Byte fixtures: each is what PostgreSQL 17's {@code *_send} produced for an SQL literal (the
 * agent's {@code SendFixturesIT} derives every one again from a live server, see
 * {@link SendFixtures}), the Java value it must decode to, and what the type's output function
 * printed for it ({@code TimeZone=UTC}, {@code DateStyle=ISO}, {@code IntervalStyle=postgres},
 * {@code extra_float_digits=1}, {@code lc_monetary=C}).
 */
final class Fixtures {

    private Fixtures() {
    }

    /** A fixture: the SQL literal, its type OID, the hex of its binary form, the Java value and the text. */
    static Arguments fixture(String sql, int oid, String hex, Object value, String text) {
        return Arguments.of(sql, oid, hex, value, text);
    }

    static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }

    /** Decodes the fixture, checks the Java value and its type, and renders it back to PostgreSQL's text. */
    static void assertFixture(PgCodecs codecs, String sql, int oid, String hex, Object expected, String text) {
        Object decoded = codecs.decode(oid, bytes(hex));
        if (expected instanceof byte[] array) {
            assertArrayEquals(array, (byte[]) decoded, sql);
        } else {
            assertEquals(expected, decoded, sql);
        }
        if (decoded != null) {
            assertInstanceOf(codecs.forOid(oid).javaType(), decoded, sql + ": codec's javaType()");
        }
        assertEquals(text, codecs.toText(oid, decoded), sql + " as text");
    }
}
