package dev.pgcapture.agent.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The type fidelity matrix: for each type, SQL literals of ordinary values and edge cases
 * (extremes, infinities, NaN, empty, unicode), and the user types they need.
 */
final class FidelityCases {

    /**
     * One type and its values.
     *
     * @param type the SQL type
     * @param values SQL expressions, each cast to the type
     * @param cast how PostgreSQL's cast of the type to text relates to its output function
     * @param binarySend whether the type has a binary send function; a type without one arrives in
     *     text form even in binary mode, and gets no array column (binary mode cannot send an array
     *     of it, and {@code pgcapture init} refuses such a column)
     */
    record TypeCase(String type, List<String> values, TextCast cast, boolean binarySend) {

        TypeCase withCast(TextCast newCast) {
            return new TypeCase(type, values, newCast, binarySend);
        }

        /** The table's value columns: {@code v} of the type, {@code a} of its array type. */
        List<String> columns() {
            return binarySend ? List.of("v", "a") : List.of("v");
        }
    }

    /** The user types, created before the tables. */
    static final String[] USER_TYPES = {
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'très bien', 'with space', 'NULL')",
        "CREATE TYPE pair AS (n int, m mood, ms mood[], t text)",
        "CREATE DOMAIN posint AS int CHECK (VALUE > 0)",
        "CREATE DOMAIN moods AS mood[]",
        "CREATE DOMAIN boxd AS box",
        "CREATE DOMAIN flag AS bool",
        "CREATE TYPE floatrange AS RANGE (subtype = float8)",
        "CREATE TYPE pairrange AS RANGE (subtype = pair)",
        "CREATE TYPE nested AS (p pair, r floatrange, d posint, b box, ts timestamptz[])",
        "CREATE TYPE dropped AS (a int, b text, c numeric)",
        "ALTER TYPE dropped DROP ATTRIBUTE b",
    };

    private FidelityCases() {
    }

    static List<TypeCase> all() {
        List<TypeCase> cases = new ArrayList<>(List.of(
                of("bool", "true", "false").withCast(TextCast.BOOL),
                of("int2", "0", "-32768", "32767"),
                of("int4", "0", "-2147483648", "2147483647", "42"),
                of("int8", "0", "-9223372036854775808", "9223372036854775807"),
                of("oid", "0", "4294967295", "12345"),
                of("numeric", "0", "0.000", "'-0.000'", "1.50", "-1234567.8901", "'NaN'", "'Infinity'", "'-Infinity'",
                        "123456789012345678901234567890.123456789", "0.00000001", "1e20", "-0.5", "'1e-100'", "'9e999'",
                        "12.345::numeric(10,2)"),
                of("money", "'-1234567.89'", "0", "'92233720368547758.07'", "'-92233720368547758.08'", "0.01"),
                of("text", "'hello'", "''", "'grüße 日本 😀'", "E'tab\\there\\nnew line'", "'quote \" back \\ slash'", "'NULL'",
                        "'{a,b}'", "'(x,y)'", "' leading space'", "'trailing  '", "'[1,2)'", "'e\u0301 שלום ∑'"),
                of("varchar(10)", "'ab'", "''", "'ü'", "'😀 x '"),
                of("char(5)", "'ab'", "''", "'abcde'", "'ü'", "'ü😀'", "' a'").withCast(TextCast.BPCHAR),
                of("name", "'pg_class'", "''", "'ü'", "repeat('x', 63)", "repeat('ü', 40) /* cut to 31 characters, 62 bytes */"),
                of("\"char\"", "'a'", "E'\\\\351'", "''", "'\"'", "','"),
                of("bytea", "'\\x00ff10'", "''", "'\\x5c'", "decode('deadbeef', 'hex')"),
                of("uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'00000000-0000-0000-0000-000000000000'",
                        "'ffffffff-ffff-ffff-ffff-ffffffffffff'"),
                of("json", "'{\"b\": 1, \"a\": [true, null]}'", "'\"ü\"'", "'[]'", "'null'", "' 1 '", "'\"\\u00fc 😀\"'",
                        "'{\"a\": 1, \"a\": 2}'"),
                of("jsonb", "'{\"b\": 1, \"a\": [true, null, \"ü\"]}'", "'[]'", "'{}'", "'null'",
                        "'{\"x\": {\"y\": [1.50, \"\\\\\\\"\"]}}'",
                        "'{\"e\": \"\\u00e9 😀\", \"n\": -0.0e-3, \"a\": 1, \"a\": 2}'"),
                of("xml", "'<a>b</a>'", "'text only'", "'<a x=\"1\">ü</a>'", "''", "'<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>ü</a>'",
                        "E'<?xml version=\"1.0\"?>\\n<c/>'", "'<?xml version=''1.0'' standalone=''no''?><b/>'",
                        "'<?xml version=\"1.1\"?><d/>'").withCast(TextCast.XML),
                of("jsonpath", "'$.a[*] ? (@ > 1)'", "'$'", "'strict $.\"k y\"'"),
                of("date", "'2024-02-29'", "'infinity'", "'-infinity'", "'0044-03-15 BC'", "'4713-01-01 BC'", "'5874897-12-31'",
                        "'1999-12-31'", "'2000-01-01'"),
                of("time", "'00:00'", "'23:59:59.999999'", "'24:00:00'", "'12:34:56.789'"),
                of("timetz", "'12:34:56.789+05:30'", "'00:00:00-15:59:59'", "'24:00:00+00'", "'12:00:00+00:00:01'",
                        "'23:59:59.999999-01'", "'24:00:00-15:59:59'", "'00:00:00+15:59:59'"),
                of("timestamp", "'2024-02-29 12:34:56.123456'", "'infinity'", "'-infinity'", "'1999-12-31 23:59:59.5'",
                        "'4713-01-01 00:00:00 BC'", "'294276-12-31 23:59:59.999999'", "'0001-01-01 00:00:00 BC'", "'2000-01-01'"),
                of("timestamptz", "'2024-02-29 12:34:56.5+02'", "'infinity'", "'-infinity'", "'1900-01-01 00:00:00+00'",
                        "'0044-03-15 12:00:00+00 BC'", "'1970-01-01 00:00:00+00'", "'294276-12-31 23:59:59.999999+00'",
                        "'4713-01-01 00:00:00+00 BC'", "'2024-06-01 12:00:00+05:45'"),
                of("interval", "'1 year 2 mons 3 days 04:05:06.789'", "'-1 year -2 mons +3 days -04:05:06.5'", "'0'", "'-3 days'",
                        "'1 mon -1 day'", "'-1 mon 2 days 3 hours'", "'100000 hours'", "'-0.000001 sec'", "'infinity'", "'-infinity'",
                        "'-1 day +1 hour'", "'13 mons'", "'-2147483648 days -2147483648 mons'", "'178956970 years 7 mons'",
                        "'2562047788:00:54.775807'"),
                of("inet", "'192.168.0.1'", "'192.168.0.1/24'", "'0.0.0.0/0'", "'::1'", "'2001:db8::1/64'", "'::ffff:1.2.3.4'",
                        "'::1.2.3.4'", "'::2'", "'1:0:0:2:0:0:0:3'", "'1:0:2:0:3:0:4:0'", "'::'", "'1::'", "'fe80::1:2:3:4'",
                        "'::ffff:0:0'", "'0:0:0:0:0:1:0:0'", "'255.255.255.255/32'", "'10.1.2.3/8'").withCast(TextCast.INET),
                of("cidr", "'10.0.0.0/8'", "'0.0.0.0/0'", "'192.168.1.0/24'", "'2001:db8::/32'", "'::/0'", "'::ffff:1.2.3.0/120'",
                        "'1.2.3.4/32'", "'::1/128'"),
                of("macaddr", "'08:00:2b:01:02:03'", "'ff:ff:ff:ff:ff:ff'"),
                of("macaddr8", "'08:00:2b:01:02:03:04:05'", "'00:00:00:00:00:00:00:00'"),
                of("bit(5)", "B'10101'", "B'00000'", "B'11111'"),
                of("varbit", "B''", "B'1010101011'", "B'1'"),
                of("point", "'(1.5,-2)'", "'(0.1,1e300)'", "'(NaN,-0)'", "'(Infinity,5e-324)'"),
                of("line", "'{1,2,3}'", "'{0.1,-1,0}'"),
                of("lseg", "'[(0,0),(1,1.5)]'"),
                of("box", "'(3,4),(1,2)'", "'(0.1,0.2),(-0.3,-0.4)'"),
                of("path", "'((0,0),(1,1),(2,0))'", "'[(0,0),(1,1)]'", "'[(0.5,0.25)]'"),
                of("polygon", "'((0,0),(1,1),(1,0))'", "'((0.1,0.2))'"),
                of("circle", "'<(1,2),3.5>'", "'<(0,0),0>'"),
                of("tsvector", "'a fat cat sat on a mat'", "$$'it''s' 'back\\\\slash':1A,2B,3C,4 'plain':5$$", "''", "'ü:1'"),
                of("pg_lsn", "'16/B374D848'", "'0/0'", "'FFFFFFFF/FFFFFFFF'"),
                of("int4range", "'[1,10)'", "'[1,5]'", "'empty'", "'(,5)'", "'[3,)'", "'(,)'"),
                of("int8range", "'[1,9223372036854775807)'", "'(-9223372036854775808,0]'", "'empty'"),
                of("numrange", "'[1.5,2.50]'", "'(,-1e-3]'", "'(NaN,NaN]'", "'empty'"),
                of("tsrange", "'[\"2024-01-01 00:00\",\"2024-01-02 12:30:00.5\")'", "'[-infinity,infinity]'", "'(,)'"),
                of("tstzrange", "'[\"2024-01-01 00:00+00\",)'", "'empty'", "'(\"0044-03-15 12:00:00+00 BC\",infinity]'"),
                of("daterange", "'[2024-01-01,2024-02-01)'", "'(-infinity,2024-01-01]'", "'empty'"),
                of("int4multirange", "'{[1,3),[5,7)}'", "'{}'", "'{(,)}'"),
                of("int8multirange", "'{(,3),[5,)}'", "'{}'"),
                of("nummultirange", "'{[1.5,2)}'", "'{}'"),
                of("tsmultirange", "'{[\"2024-01-01 00:00\",\"2024-01-02 00:00\")}'", "'{[-infinity,)}'"),
                of("tstzmultirange", "'{[\"2024-01-01 00:00+00\",\"2024-01-02 00:00+00\")}'", "'{}'"),
                of("datemultirange", "'{[2024-01-01,2024-02-01),[2024-03-01,)}'", "'{(,infinity]}'"),
                of("mood", "'happy'", "'très bien'", "'with space'", "'NULL'"),
                of("posint", "1", "2147483647"),
                of("flag", "true", "false").withCast(TextCast.BOOL),
                of("moods", "'{happy,NULL}'", "'{}'", "'{{sad,ok},{NULL,\"très bien\"}}'"),
                of("boxd", "'(3,4),(1,2)'"),
                of("pair", "ROW(1, 'ok', '{ok,sad}', 'a \"q\" b')", "ROW(NULL, NULL, NULL, '')", "ROW(2, 'sad', '{{ok},{NULL}}', 'x,y')",
                        "ROW(NULL, NULL, NULL, NULL)", "ROW(3, 'très bien', '{{NULL}}', 'ü 😀')"),
                of("floatrange", "'[1.5,2.5)'", "'empty'", "'(,)'", "'[-Infinity,0.1]'"),
                of("floatmultirange", "'{[1,2),[3,4)}'", "'{}'"),
                of("pairrange", "pairrange(ROW(1, 'sad', '{}', 'x')::pair, ROW(2, 'ok', '{sad}', 'y z')::pair)", "'empty'",
                        "pairrange(NULL, ROW(1, NULL, NULL, '')::pair, '(]')"),
                of("nested", "ROW(ROW(1, 'ok', '{ok}', 'q\"')::pair, '[1,2)', 5, '(1,1),(0,0)', '{infinity,\"2024-01-01 00:00+00\"}')",
                        "ROW(NULL, 'empty', NULL, NULL, '{}')"),
                of("dropped", "ROW(1, 2.5)", "ROW(NULL, 'NaN')"),
                new TypeCase("aclitem", List.of("makeaclitem('pg_monitor'::regrole, 'pg_read_all_data'::regrole, 'SELECT', true)",
                        "makeaclitem(0, 'pg_monitor'::regrole, 'SELECT,UPDATE,DELETE', false)"), TextCast.OUTPUT, false)));
        cases.add(floats("float4", "0", "'-0'", "1.5", "'NaN'", "'Infinity'", "'-Infinity'", "'1e-45'", "3.4028235e38", "-3.4028235e38",
                "0.1", "1e6", "123456", "1.1754944e-38"));
        cases.add(floats("float8", "0", "'-0'", "0.1", "'NaN'", "'Infinity'", "'-Infinity'", "'5e-324'", "1.7976931348623157e308",
                "-1.7976931348623157e308", "1e23", "1e15", "123456789012345.6", "0.00001", "2.2250738585072014e-308"));
        return cases;
    }

    /** The fixed values, then random ones of every magnitude (a fixed seed, so a failure repeats). */
    private static TypeCase floats(String type, String... fixed) {
        List<String> values = new ArrayList<>(List.of(fixed));
        Random random = new Random(20_240_229);
        while (values.size() < fixed.length + 40) {
            if (type.equals("float4")) {
                float value = Float.intBitsToFloat(random.nextInt());
                if (!Float.isNaN(value)) {
                    values.add("'" + value + "'");
                }
            } else {
                double value = Double.longBitsToDouble(random.nextLong());
                if (!Double.isNaN(value)) {
                    values.add("'" + value + "'");
                }
            }
        }
        return of(type, values.toArray(String[]::new));
    }

    private static TypeCase of(String type, String... values) {
        return new TypeCase(type, List.of(values), TextCast.OUTPUT, true);
    }
}
