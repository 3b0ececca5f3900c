package dev.pgcapture.consumer;

/** Writes a {@link Row} as JSON (see {@link Row#toJson()}). */
final class RowJson {

    private RowJson() {
    }

    static void writeObject(com.fasterxml.jackson.core.JsonGenerator json, Row row) throws java.io.IOException {
        throw new UnsupportedOperationException("not yet");
    }

    static String object(Row row) {
        throw new UnsupportedOperationException("not yet");
    }
}
