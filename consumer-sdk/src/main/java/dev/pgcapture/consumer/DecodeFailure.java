package dev.pgcapture.consumer;

/** A column value that could not be decoded or bound: becomes a {@link DecodeError}. */
final class DecodeFailure extends Exception {

    final String column;
    final int typeOid;

    DecodeFailure(String column, int typeOid, String reason) {
        super(reason, null, false, false);
        this.column = column;
        this.typeOid = typeOid;
    }
}
