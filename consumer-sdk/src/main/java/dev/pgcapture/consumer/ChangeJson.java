package dev.pgcapture.consumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgcapture.core.TableName;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Writes a {@link Change} as one line of JSON (see {@link Change#toJson()}). */
final class ChangeJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ChangeJson() {
    }

    static String line(Change<?> change) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("op", change.operation().name().toLowerCase(Locale.ROOT));
            json.writeStringField("schema", change.table().schema());
            json.writeStringField("table", change.table().table());
            json.writeObjectFieldStart("checkpoint");
            json.writeStringField("lsn", change.checkpoint().lsn().toString());
            json.writeNumberField("seq", Integer.toUnsignedLong(change.checkpoint().seq()));
            json.writeEndObject();
            if (change.commitTime() != null) {
                json.writeStringField("commit_time", change.commitTime().toString());
            }
            if (change.snapshotLsn() != null) {
                json.writeStringField("snapshot_lsn", change.snapshotLsn().toString());
            }
            if (change.newValues() != null) {
                json.writeFieldName("new");
                RowJson.writeObject(json, change.newValues());
            }
            if (change.oldValues() != null) {
                json.writeFieldName("old");
                RowJson.writeObject(json, change.oldValues());
            }
            if (change.truncate() != null) {
                json.writeArrayFieldStart("tables");
                for (TableName table : change.truncate().tables()) {
                    json.writeString(table.toString());
                }
                json.writeEndArray();
                json.writeBooleanField("cascade", change.truncate().cascade());
                json.writeBooleanField("restart_identity", change.truncate().restartIdentity());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
