package dev.pgcapture.core.codec;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A value the codecs kept as it came, undecoded: a value that arrived in PostgreSQL's text form
 * (a column without a binary send function, or a text-mode stream), or a binary value of a type
 * that is not known (an extension type, or a user type nobody described).
 */
public sealed interface PgUndecoded permits PgUndecoded.Text, PgUndecoded.Binary {

    /** The OID of the value's type, as the source assigned it. */
    int oid();

    /**
     * A value in PostgreSQL's text form: exactly what the type's output function printed.
     *
     * @param oid the value's type OID
     * @param text the text
     */
    record Text(int oid, String text) implements PgUndecoded {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The binary value of a type that is not known, byte for byte.
     *
     * @param oid the value's type OID
     * @param bytes the bytes ({@code typsend}'s output); copied in and out
     */
    record Binary(int oid, byte[] bytes) implements PgUndecoded {
        public Binary {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Binary that && oid == that.oid && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * oid + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Binary[oid=" + Integer.toUnsignedString(oid) + ", bytes=" + HexFormat.of().formatHex(bytes) + "]";
        }
    }
}
