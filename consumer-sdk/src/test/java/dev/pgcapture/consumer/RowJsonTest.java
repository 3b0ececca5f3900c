package dev.pgcapture.consumer;

import static dev.pgcapture.consumer.Rows.column;
import static dev.pgcapture.consumer.Rows.row;
import static dev.pgcapture.consumer.Rows.sqlNull;
import static dev.pgcapture.consumer.Rows.textForm;
import static dev.pgcapture.consumer.Rows.unchangedToast;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@link Row#toJson()}: what each kind of value looks like, and that the result is JSON. */
class RowJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void toJson_keepsTableOrderAndNullAndLeavesOutUnchangedToastAndAbsentColumns() throws Exception {
        Row row = row(column("id", 20, "000000000000002a"), unchangedToast("body", 25), column("name", 25, "68656c6c6f"),
                sqlNull("note", 25));
        assertJson("{\"id\":42,\"name\":\"hello\",\"note\":null}", row.toJson());
        assertEquals(row.toJson(), row.toString());
    }

    @Test
    void toJson_numbersAreNumbersAndTheirNaNAndInfinitiesStrings() throws Exception {
        Row row = row(column("int2", 21, "7fff"), column("int4", 23, "ffffffff"), column("int8", 20, "7fffffffffffffff"),
                column("oid", 26, "ffffffff"), column("float4", 700, "3fc00000"), column("float8", 701, "3fb999999999999a"),
                column("numeric", 1700, "000200000000000200011388"), column("tiny", 1700, "0001fffe000000080001"),
                column("money", 790, "fffffffff8a432eb"), column("float8NaN", 701, "7ff8000000000000"),
                column("float4Inf", 700, "ff800000"), column("numericNaN", 1700, "00000000c0000000"),
                column("numericInf", 1700, "00000000d0000020"), column("yes", 16, "01"), column("no", 16, "00"));
        assertJson("{\"int2\":32767,\"int4\":-1,\"int8\":9223372036854775807,\"oid\":4294967295,\"float4\":1.5,\"float8\":0.1,"
                + "\"numeric\":1.50,\"tiny\":0.00000001,\"money\":-1234567.89,\"float8NaN\":\"NaN\",\"float4Inf\":\"-Infinity\","
                + "\"numericNaN\":\"NaN\",\"numericInf\":\"Infinity\",\"yes\":true,\"no\":false}", row.toJson());
    }

    @Test
    void toJson_jsonAndJsonbAreEmbeddedAsJson() throws Exception {
        Row row = row(column("j", 114, "7b2262223a20312c202261223a205b747275652c206e756c6c5d7d"),
                column("jb", 3802, "017b2261223a205b747275652c206e756c6c2c2022c3bc225d2c202262223a20317d"),
                column("jbs", 3807, "000000010000000000000eda000000010000000100000009017b2261223a20317d"),
                textForm("jt", 3802, "[1, 2]"));
        assertJson("{\"j\":{\"b\": 1, \"a\": [true, null]},\"jb\":{\"a\": [true, null, \"ü\"], \"b\": 1},\"jbs\":[{\"a\": 1}],"
                + "\"jt\":[1, 2]}", row.toJson());
    }

    @Test
    void toJson_arraysAreJsonArraysNestedPerDimensionWithElementsAsTheirType() throws Exception {
        Row row = row(column("ints", 1007, Rows.INT4_ARRAY_1_NULL_3), column("grid", 1007, Rows.INT4_ARRAY_2D),
                column("empty", 1007, "000000000000000000000017"),
                column("texts", 1015, "0000000100000000000004130000000200000001000000016100000003622063"),
                column("dates", 1182, "00000001000000000000043a0000000200000001000000040000223e000000047fffffff"),
                column("blobs", 1001, "00000001000000010000001100000002000000010000000200ffffffffff"));
        assertJson("{\"ints\":[1,null,3],\"grid\":[[1,2],[3,null]],\"empty\":[],\"texts\":[\"a\",\"b c\"],"
                + "\"dates\":[\"2024-01-01\",\"infinity\"],\"blobs\":[\"\\\\x00ff\",null]}", row.toJson());
    }

    @Test
    void toJson_compositesAreObjectsByAttribute() throws Exception {
        Row row = row(column("pair", Rows.PAIR, Rows.PAIR_1_OK), column("pairs", Rows.PAIR_ARRAY, Rows.PAIR_ARRAY_2_SAD_NULL));
        assertJson("{\"pair\":{\"n\":1,\"m\":\"ok\",\"ms\":[\"ok\",\"sad\"],\"t\":\"a \\\"q\\\" b\"},"
                + "\"pairs\":[{\"n\":2,\"m\":\"sad\",\"ms\":[\"happy\"],\"t\":null},null]}", row.toJson());
    }

    @Test
    void toJson_everyOtherValueIsItsPostgresTextForm() throws Exception {
        Row row = row(column("bytes", 17, "00ff10"), column("at", 1184, "0002b5819446d520"), column("never", 1184, "7fffffffffffffff"),
                column("id", 2950, "a0eebc999c0b4ef8bb6d6bb9bd380a11"), column("ip", 869, "02180004c0a80001"),
                column("span", 1186, "00000000000000000000000100000000"), column("range", 3904, "0200000004000000010000000400000002"),
                column("ranges", 4451, "00000001000000110200000004000000010000000400000002"),
                column("point", 600, "3ff00000000000004000000000000000"), column("mood", Rows.MOOD, "6861707079"),
                textForm("isbn", 16500, "978-0-393-04002-9"), column("unknown", 16501, "0102"));
        assertJson("{\"bytes\":\"\\\\x00ff10\",\"at\":\"2024-02-29 10:34:56.5+00\",\"never\":\"infinity\","
                + "\"id\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\",\"ip\":\"192.168.0.1/24\",\"span\":\"1 day\","
                + "\"range\":\"[1,2)\",\"ranges\":\"{[1,2)}\",\"point\":\"(1,2)\",\"mood\":\"happy\","
                + "\"isbn\":\"978-0-393-04002-9\",\"unknown\":\"\\\\x0102\"}", row.toJson());
    }

    @Test
    void writeObject_writesTheRowInsideALargerDocument() throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("op", "UPDATE");
            json.writeFieldName("new");
            RowJson.writeObject(json, row(column("id", 20, "0000000000000001"), sqlNull("name", 25)));
            json.writeFieldName("old");
            RowJson.writeObject(json, row(column("id", 20, "0000000000000002")));
            json.writeEndObject();
        }
        assertJson("{\"op\":\"UPDATE\",\"new\":{\"id\":1,\"name\":null},\"old\":{\"id\":2}}", out.toString());
    }

    /** The text exactly, and that it parses as JSON. */
    private static void assertJson(String expected, String actual) throws Exception {
        assertEquals(expected, actual);
        JSON.readTree(actual);
    }
}
