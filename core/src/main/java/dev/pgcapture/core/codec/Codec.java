package dev.pgcapture.core.codec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one implementation of {@link PgCodec}: a reader of the binary form and a writer of the
 * text form. The reader gets a big-endian view of exactly the value's bytes and must consume
 * all of them; it reports a malformed value by throwing {@link BadValue}.
 */
final class Codec<T> implements PgCodec<T> {

    /** Reads one value from a buffer holding exactly its bytes. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ByteBuffer in);
    }

    /** Thrown by readers: the reason a value is malformed, without the type. */
    static final class BadValue extends RuntimeException {
        BadValue(String reason) {
            super(reason, null, false, false);
        }

        BadValue(String reason, Throwable cause) {
            super(reason, cause, false, false);
        }
    }

    private final int oid;
    private final String name;
    private final Class<T> type;
    private final Reader<T> reader;
    private final Function<? super T, String> writer;
    private final char delimiter;
    private final int elementOid;

    Codec(int oid, String name, Class<T> type, Reader<T> reader, Function<? super T, String> writer, char delimiter) {
        this(oid, name, type, reader, writer, delimiter, 0);
    }

    private Codec(int oid, String name, Class<T> type, Reader<T> reader, Function<? super T, String> writer, char delimiter,
            int elementOid) {
        this.oid = oid;
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.delimiter = delimiter;
        this.elementOid = elementOid;
    }

    Codec(int oid, String name, Class<T> type, Reader<T> reader, Function<? super T, String> writer) {
        this(oid, name, type, reader, writer, ',');
    }

    /** A codec of a fixed-length binary form: the reader sees exactly {@code length} bytes. */
    static <T> Codec<T> fixed(int oid, String name, Class<T> type, int length, Reader<T> reader,
            Function<? super T, String> writer) {
        return new Codec<>(oid, name, type, in -> {
            if (in.remaining() != length) {
                throw new BadValue("expected " + length + " bytes, got " + in.remaining());
            }
            return reader.read(in);
        }, writer);
    }

    /** The same codec under another type: a domain decodes as its base type. */
    Codec<T> as(int newOid, String newName) {
        return new Codec<>(newOid, newName, type, reader, writer, delimiter, elementOid);
    }

    /** The same codec of a type made of values of type {@code oid} (see {@link #elementOid()}). */
    Codec<T> madeOf(int oid) {
        return new Codec<>(this.oid, name, type, reader, writer, delimiter, oid);
    }

    @SuppressWarnings("unchecked")
    static <T> Class<T> generic(Class<?> raw) {
        return (Class<T>) raw;
    }

    @Override
    public int oid() {
        return oid;
    }

    @Override
    public String typeName() {
        return name;
    }

    @Override
    public Class<T> javaType() {
        return type;
    }

    @Override
    public int elementOid() {
        return elementOid;
    }

    /** The delimiter between elements of arrays of this type: ';' for {@code box}, else ','. */
    char delimiter() {
        return delimiter;
    }

    @Override
    public T decode(ByteBuffer binary) {
        ByteBuffer in = binary.slice();
        T value;
        try {
            value = reader.read(in);
        } catch (BadValue e) {
            throw new PgDecodeException(oid, name, e.getMessage(), e.getCause());
        } catch (IllegalArgumentException | DateTimeException e) {
            // A value type refused what the bytes say (an array's dimensions, an inet prefix, ...).
            throw new PgDecodeException(oid, name, e.getMessage(), e);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PgDecodeException(oid, name, "the value ends early (" + binary.remaining() + " bytes)", e);
        }
        if (in.hasRemaining()) {
            throw new PgDecodeException(oid, name, in.remaining() + " bytes left over after the value ("
                    + binary.remaining() + " bytes)", null);
        }
        return value;
    }

    /**
     * Decodes a value nested in another (an element, attribute or bound): a failure becomes a
     * {@link BadValue} of the outer value that says where and why.
     */
    Object decodeNested(ByteBuffer binary, String where) {
        try {
            return decode(binary);
        } catch (PgDecodeException e) {
            throw new BadValue(where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toText(T value) {
        Objects.requireNonNull(value, "value (SQL NULL has no text form)");
        return writer.apply(value);
    }

    /** {@link #toText} of a value known only as an Object, checked against {@link #javaType}. */
    String textOf(Object value) {
        Objects.requireNonNull(value, "value (SQL NULL has no text form)");
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(name + " (OID " + Integer.toUnsignedString(oid) + ") values are "
                    + type.getSimpleName() + ", not " + value.getClass().getName());
        }
        return writer.apply(type.cast(value));
    }

    @Override
    public String toString() {
        return "PgCodec[" + name + ", OID " + Integer.toUnsignedString(oid) + " -> " + type.getSimpleName() + "]";
    }
}
