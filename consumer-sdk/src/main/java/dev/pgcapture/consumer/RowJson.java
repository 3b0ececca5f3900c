package dev.pgcapture.consumer;

/** Writes a {@link Row} as JSON (see {@link Row#toJson()}). */
final class RowJson {

    private RowJson() {
    }

    static String object(Row row) {
        throw new UnsupportedOperationException("not yet");
    }
}
