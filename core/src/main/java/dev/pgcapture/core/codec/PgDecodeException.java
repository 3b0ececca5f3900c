package dev.pgcapture.core.codec;

/**
 * A value that is not a well-formed binary value of its type, or a value that cannot be
 * rendered as text (a type that is not known). The message names the type, by name and OID,
 * and what is wrong; a codec never returns a partly decoded value instead.
 */
public final class PgDecodeException extends RuntimeException {

    private final int oid;
    private final String typeName;
    private final String reason;

    PgDecodeException(int oid, String typeName, String reason, Throwable cause) {
        super("cannot decode a value of type " + typeName + " (OID " + Integer.toUnsignedString(oid) + "): " + reason, cause);
        this.oid = oid;
        this.typeName = typeName;
        this.reason = reason;
    }

    /** The OID of the type whose value failed, as the source assigned it. */
    public int oid() {
        return oid;
    }

    /** The name of that type, e.g. {@code int4} or {@code public.mood[]}. */
    public String typeName() {
        return typeName;
    }

    /** What is wrong with the value, without the type. */
    public String reason() {
        return reason;
    }
}
