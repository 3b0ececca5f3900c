package dev.pgcapture.core.codec;

import static dev.pgcapture.core.codec.Fixtures.fixture;

import dev.pgcapture.core.Lsn;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextCodecsTest {

    static Stream<Arguments> postgresValues() {
        return Stream.of(
                fixture("'hello'::text", 25, "68656c6c6f", "hello", "hello"),
                fixture("''::text", 25, "", "", ""),
                fixture("'grüße 日本 😀'::text", 25, "6772c3bcc39f6520e697a5e69cac20f09f9880", "grüße 日本 😀", "grüße 日本 😀"),
                fixture("'grüße'::unknown", 705, "6772c3bcc39f65", "grüße", "grüße"),
                fixture("'ab'::varchar(5)", 1043, "6162", "ab", "ab"),
                fixture("'ab'::char(4)", 1042, "61622020", "ab  ", "ab  "),
                fixture("'pg_class'::name", 19, "70675f636c617373", "pg_class", "pg_class"),
                fixture("'a'::\"char\"", 18, "61", "a", "a"),
                fixture("E'\\\\351'::\"char\"", 18, "e9", "\\351", "\\351"),
                fixture("''::\"char\"", 18, "00", "", ""),
                fixture("'\\x00ff10'::bytea", 17, "00ff10", new byte[] {0, -1, 16}, "\\x00ff10"),
                fixture("''::bytea", 17, "", new byte[0], "\\x"),
                fixture("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", 2950, "a0eebc999c0b4ef8bb6d6bb9bd380a11",
                        UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                fixture("'{\"b\": 1, \"a\": [true, null]}'::json", 114, "7b2262223a20312c202261223a205b747275652c206e756c6c5d7d",
                        "{\"b\": 1, \"a\": [true, null]}", "{\"b\": 1, \"a\": [true, null]}"),
                fixture("'{\"b\": 1, \"a\": [true, null, \"ü\"]}'::jsonb", 3802,
                        "017b2261223a205b747275652c206e756c6c2c2022c3bc225d2c202262223a20317d",
                        "{\"a\": [true, null, \"ü\"], \"b\": 1}", "{\"a\": [true, null, \"ü\"], \"b\": 1}"),
                fixture("'<a>b</a>'::xml", 142, "3c613e623c2f613e", "<a>b</a>", "<a>b</a>"),
                fixture("'$.a[*] ? (@ > 1)'::jsonpath", 4072, "01242e2261225b2a5d3f2840203e203129", "$.\"a\"[*]?(@ > 1)",
                        "$.\"a\"[*]?(@ > 1)"),
                fixture("B'10101'::bit(5)", 1560, "00000005a8", "10101", "10101"),
                fixture("B''::varbit", 1562, "00000000", "", ""),
                fixture("B'1010101011'::varbit", 1562, "0000000aaac0", "1010101011", "1010101011"),
                fixture("'a fat cat sat on a mat'::tsvector", 3614,
                        "00000006610000006361740000006661740000006d61740000006f6e000000736174000000",
                        "'a' 'cat' 'fat' 'mat' 'on' 'sat'", "'a' 'cat' 'fat' 'mat' 'on' 'sat'"),
                fixture("$$'it''s' 'back\\\\slash':1A,2B,3C,4 'plain':5$$::tsvector", 3614,
                        "000000036261636b5c736c617368000004c00180024003000469742773000000706c61696e0000010005",
                        "'back\\\\slash':1A,2B,3C,4 'it''s' 'plain':5", "'back\\\\slash':1A,2B,3C,4 'it''s' 'plain':5"),
                fixture("''::tsvector", 3614, "00000000", "", ""),
                fixture("'16/B374D848'::pg_lsn", 3220, "00000016b374d848", Lsn.parse("16/B374D848"), "16/B374D848"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgresValues")
    void decode_postgresSendOutput_givesJavaValueAndPostgresText(String sql, int oid, String hex, Object value, String text) {
        Fixtures.assertFixture(PgCodecs.builtIn(), sql, oid, hex, value, text);
    }
}
