package dev.pgcapture.consumer;

import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.core.codec.PgDecodeException;
import dev.pgcapture.proto.Field;
import java.util.ArrayList;
import java.util.List;

/** Decodes the columns of a change into a {@link Row}. */
final class RowDecoder {

    private RowDecoder() {
    }

    /**
     * The row of {@code fields}, with the columns of {@code unchangedToast} (absent from the
     * fields) as unchanged TOAST values after them; {@code null} when both are empty.
     *
     * @throws DecodeFailure naming the first column whose value is malformed
     */
    static Row decode(PgCodecs codecs, List<Field> fields, List<String> unchangedToast) throws DecodeFailure {
        if (fields.isEmpty() && unchangedToast.isEmpty()) {
            return null;
        }
        List<Row.Column> columns = new ArrayList<>(fields.size() + unchangedToast.size());
        for (Field field : fields) {
            PgValue<Object> value;
            try {
                Object decoded = codecs.decode(field);
                value = decoded == null ? PgValue.sqlNull() : PgValue.of(decoded);
            } catch (PgDecodeException e) {
                throw new DecodeFailure(field.getName(), field.getOid(), e.getMessage());
            }
            columns.add(new Row.Column(field.getName(), field.getOid(), value));
        }
        for (String name : unchangedToast) {
            columns.add(new Row.Column(name, 0, PgValue.unchangedToast()));
        }
        return new Row(columns, codecs);
    }
}
