package dev.pgcapture.consumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgcapture.core.codec.PgArray;
import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.core.codec.PgComposite;
import dev.pgcapture.core.codec.PgNumeric;
import dev.pgcapture.core.codec.PgUndecoded;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a {@link Row} as JSON (see {@link Row#toJson()}), alone or inside a larger document
 * ({@link #writeObject}). Per value:
 * <ul>
 *   <li>SQL NULL: {@code null}; unchanged TOAST and absent columns: left out of the object;
 *   <li>{@code bool}: {@code true}/{@code false}; integers, {@code oid}, {@code float4},
 *       {@code float8}, {@code numeric} and {@code money}: JSON numbers ({@code numeric} and
 *       {@code money} in plain notation at their scale), {@code NaN}, {@code Infinity} and
 *       {@code -Infinity} the strings PostgreSQL prints;
 *   <li>{@code json} and {@code jsonb} (OIDs 114 and 3802): embedded as they are, being JSON;
 *   <li>arrays: JSON arrays, nested per dimension (lower bounds are not kept); composites:
 *       objects by attribute name, in the type's order;
 *   <li>{@code bytea}: its text form, {@code "\\x0aff"}; a value of a type the codecs do not
 *       know: its bytes the same way;
 *   <li>everything else (text, dates and times, intervals, ranges, network types, ...): a
 *       string in PostgreSQL's text form ({@code TimeZone=UTC}, {@code DateStyle=ISO}).
 * </ul>
 * Never throws for a value: one that has no text form is written as Java prints it.
 */
final class RowJson {

    private static final JsonFactory JSON = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of();
    private static final int JSON_OID = 114;
    private static final int JSONB_OID = 3802;

    private RowJson() {
    }

    /** The row as one JSON object. */
    static String object(Row row) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writeObject(json, row);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        return out.toString();
    }

    /** Writes the row as a JSON object where {@code json} is (a value of a field, or an array's element). */
    static void writeObject(JsonGenerator json, Row row) throws IOException {
        json.writeStartObject();
        for (Row.Column column : row.columns()) {
            PgValue<Object> value = column.value();
            if (value.isValue()) {
                json.writeFieldName(column.name());
                writeValue(json, column.typeOid(), value.get(), row.codecs());
            } else if (value.isNull()) {
                json.writeNullField(column.name());
            }
        }
        json.writeEndObject();
    }

    /** Writes one decoded value of type {@code oid} ({@code null} for SQL NULL) as the row's JSON holds it. */
    static void writeValue(JsonGenerator json, int oid, Object value, PgCodecs codecs) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case Boolean b -> json.writeBoolean(b);
            case Short s -> json.writeNumber(s);
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Float f -> {
                if (Float.isFinite(f)) {
                    json.writeNumber(f);
                } else {
                    json.writeString(special(f));
                }
            }
            case Double d -> {
                if (Double.isFinite(d)) {
                    json.writeNumber(d);
                } else {
                    json.writeString(special(d));
                }
            }
            case PgNumeric.Finite numeric -> json.writeNumber(numeric.value().toPlainString());
            case PgNumeric.Special special -> json.writeString(special.text());
            case BigDecimal money -> json.writeNumber(money.toPlainString());
            case String s -> writeString(json, oid, s);
            case PgUndecoded.Text text -> writeString(json, oid, text.text());
            case PgUndecoded.Binary binary -> json.writeString("\\x" + HEX.formatHex(binary.bytes()));
            case byte[] bytes -> json.writeString("\\x" + HEX.formatHex(bytes));
            case PgArray<?> array -> writeArray(json, array, codecs.forOid(oid).elementOid(), codecs);
            case PgComposite composite -> {
                json.writeStartObject();
                for (PgComposite.Attribute attribute : composite.attributes()) {
                    json.writeFieldName(attribute.name());
                    writeValue(json, attribute.oid(), attribute.value(), codecs);
                }
                json.writeEndObject();
            }
            default -> json.writeString(text(oid, value, codecs));
        }
    }

    private static void writeString(JsonGenerator json, int oid, String s) throws IOException {
        if (oid == JSON_OID || oid == JSONB_OID) {
            json.writeRawValue(s);
        } else {
            json.writeString(s);
        }
    }

    private static void writeArray(JsonGenerator json, PgArray<?> array, int elementOid, PgCodecs codecs) throws IOException {
        if (array.isEmpty()) {
            json.writeStartArray();
            json.writeEndArray();
            return;
        }
        writeLevel(json, array.toNestedList(), array.dimensions().size(), elementOid, codecs);
    }

    private static void writeLevel(JsonGenerator json, List<?> level, int depth, int elementOid, PgCodecs codecs) throws IOException {
        json.writeStartArray();
        for (Object item : level) {
            if (depth > 1) {
                writeLevel(json, (List<?>) item, depth - 1, elementOid, codecs);
            } else {
                writeValue(json, elementOid, item, codecs);
            }
        }
        json.writeEndArray();
    }

    private static String special(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }

    private static String text(int oid, Object value, PgCodecs codecs) {
        try {
            return codecs.toText(oid, value);
        } catch (RuntimeException e) {
            return String.valueOf(value);
        }
    }
}
