package dev.pgcapture.core.codec;

/**
 * The codec of a type that is neither built in nor described: it keeps the bytes as a
 * {@link PgUndecoded.Binary}, and has no text form for them.
 */
final class Unknown {

    static final String NAME = "<unknown>";

    private Unknown() {
    }

    static Codec<PgUndecoded> codec(int oid) {
        return new Codec<>(oid, NAME, PgUndecoded.class, in -> new PgUndecoded.Binary(oid, Bytes.rest(in)), value -> switch (value) {
            case PgUndecoded.Text text -> text.text();
            case PgUndecoded.Binary binary -> throw new PgDecodeException(oid, NAME,
                    "the type is neither built in nor described, so its binary value has no text form", null);
        });
    }
}
