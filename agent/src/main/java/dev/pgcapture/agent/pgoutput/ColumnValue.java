package dev.pgcapture.agent.pgoutput;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One column of a {@code pgoutput} tuple: SQL {@code NULL}, an unchanged TOAST value that
 * PostgreSQL did not send, or a value in text or binary format.
 *
 * <p>Values are immutable: {@link Text} and {@link Binary} hold an immutable {@link ByteString},
 * and compare by content.
 */
public sealed interface ColumnValue {

    /** The one {@link Null} value. */
    Null NULL = new Null();

    /** The one {@link UnchangedToast} value. */
    UnchangedToast UNCHANGED_TOAST = new UnchangedToast();

    /** SQL {@code NULL} (tuple kind {@code 'n'}). */
    record Null() implements ColumnValue {
    }

    /**
     * A TOASTed value that the change did not modify, so PostgreSQL left it out (tuple kind
     * {@code 'u'}). It is not {@code NULL}: the column keeps its previous value.
     */
    record UnchangedToast() implements ColumnValue {
    }

    /**
     * A value in the type's text output format (tuple kind {@code 't'}), in the replication
     * connection's client encoding (UTF-8 for pgjdbc).
     */
    record Text(ByteString bytes) implements ColumnValue {

        public Text {
            Objects.requireNonNull(bytes, "bytes");
        }

        /** The value decoded as UTF-8, malformed sequences replaced by U+FFFD. */
        public String text() {
            return bytes.toStringUtf8();
        }

        @Override
        public String toString() {
            return "Text[" + text() + "]";
        }
    }

    /** A value in the type's binary send format (tuple kind {@code 'b'}). */
    record Binary(ByteString bytes) implements ColumnValue {

        public Binary {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public String toString() {
            return "Binary[" + HexFormat.of().formatHex(bytes.toByteArray()) + "]";
        }
    }
}
