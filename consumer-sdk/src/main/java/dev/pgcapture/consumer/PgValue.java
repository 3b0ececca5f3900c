package dev.pgcapture.consumer;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A column's value that keeps apart what a plain Java field cannot: a value, SQL {@code NULL},
 * an unchanged TOAST value that PostgreSQL did not send, and a column the change does not carry
 * at all. Declare a model member as {@code PgValue<T>} where the difference matters; a plain
 * member gets {@code null} for everything but a value.
 *
 * <p>A member of a primitive type ({@code boolean}, {@code short}, {@code int}, {@code long},
 * {@code float}, {@code double}) has no {@code null}: SQL NULL (or an unchanged TOAST value) for
 * it is a decode error naming the column, so declare the boxed type or {@code PgValue<T>} for a
 * nullable column; an absent column gives it the type's default ({@code 0}, {@code false}), since
 * the old row of an update or delete holds only the key and lacks every other column.
 *
 * <p>An <em>unchanged TOAST</em> value is a large value (usually over 2 kB, stored out of line)
 * of a column an UPDATE did not change: PostgreSQL does not repeat it in the change, so the
 * consumer keeps the one it has. A column is <em>absent</em> from an old row that holds only the
 * replica identity (by default the primary key), and from rows of a table whose model names a
 * column the table does not have.
 *
 * <h2>Java types a column binds to</h2>
 * A model member, or the {@code T} of a {@code PgValue<T>} member, may be:
 * <ul>
 *   <li>{@code bool}: {@code boolean}/{@code Boolean};
 *   <li>{@code int2}: {@code short}, {@code int}, {@code long} (and boxed); {@code int4}: {@code int},
 *       {@code long}; {@code int8}, {@code oid}: {@code long};
 *   <li>{@code float4}: {@code float}, {@code double}; {@code float8}: {@code double} (numbers
 *       widen, never narrow: an {@code int8} for an {@code int} member is a decode error);
 *   <li>{@code numeric}, {@code money}: {@code BigDecimal} (a NaN or infinite numeric is a decode
 *       error for it), or {@link dev.pgcapture.core.codec.PgNumeric}, which holds them;
 *   <li>{@code text}, {@code varchar}, {@code bpchar}, {@code name}, {@code "char"}, {@code json},
 *       {@code jsonb}, {@code xml}, enums: {@code String}; an enum also to a Java {@code enum}
 *       whose constant names are the labels;
 *   <li>{@code bytea}: {@code byte[]} (a copy); {@code uuid}: {@code UUID};
 *   <li>{@code date}: {@code LocalDate}; {@code time}: {@code LocalTime}; {@code timetz}:
 *       {@code OffsetTime}; {@code timestamp}: {@code LocalDateTime}; {@code timestamptz}:
 *       {@code OffsetDateTime} (at UTC) or {@code Instant}; {@code infinity} and
 *       {@code -infinity} are the Java type's {@code MAX} and {@code MIN} ({@code Instant.MAX}
 *       and {@code Instant.MIN} too);
 *   <li>{@code interval}: {@link dev.pgcapture.core.codec.PgInterval}, a {@code Period} and
 *       {@code Duration} pair;
 *   <li>{@code inet}, {@code cidr}: {@link dev.pgcapture.core.codec.PgInet}, or
 *       {@code InetAddress} (the prefix is dropped);
 *   <li>geometric types: {@link dev.pgcapture.core.codec.PgGeometry} and its records;
 *   <li>arrays: {@code List<E>} or {@code E[]} (elements bound as above, {@code List<Long>} for
 *       an {@code int4[]} say; SQL NULL elements are {@code null}, so {@code E} is not
 *       primitive), one nested level per dimension for more ({@code List<List<Integer>>},
 *       {@code Integer[][]}), or {@link dev.pgcapture.core.codec.PgArray PgArray&lt;E&gt;} to keep
 *       the dimensions and lower bounds; the lists are unmodifiable;
 *   <li>ranges: {@link dev.pgcapture.core.codec.PgRange PgRange&lt;E&gt;}, bounds bound as above
 *       ({@code PgRange<Instant>} for a {@code tstzrange}); multiranges: {@code List<PgRange<E>>};
 *   <li>composite types: a record whose components are annotated {@link PgColumn} (by attribute
 *       name; no {@link PgTable} needed; an attribute the type lacks is absent, a NULL attribute
 *       SQL NULL, as for a column), or {@link dev.pgcapture.core.codec.PgComposite};
 *   <li>domains: as their base type;
 *   <li>any type: {@code String}, its PostgreSQL text form; {@code Object}, the value as
 *       {@link dev.pgcapture.core.codec.PgCodecs} decodes it.
 * </ul>
 * A value in text form (a type PostgreSQL cannot send in binary) binds to {@code String} and
 * {@code Object} only. A model whose member has a type no column binds to ({@code Map},
 * {@code int[]}, a raw {@code List}, a class other than a record for a composite, ...) is refused
 * when its handler is registered; at run time, any other pairing is a decode error naming the
 * table, column and type, and the member with its Java type.
 *
 * @param <T> the Java type of the value
 */
public final class PgValue<T> {

    /** What a {@link PgValue} holds. */
    public enum State {
        /** A value. */
        VALUE,
        /** SQL {@code NULL}. */
        NULL,
        /** An unchanged TOAST value that PostgreSQL did not send. */
        UNCHANGED_TOAST,
        /** A column the change does not carry. */
        ABSENT
    }

    private static final PgValue<?> NULL = new PgValue<>(State.NULL, null);
    private static final PgValue<?> UNCHANGED_TOAST = new PgValue<>(State.UNCHANGED_TOAST, null);
    private static final PgValue<?> ABSENT = new PgValue<>(State.ABSENT, null);

    private final State state;
    private final T value;

    private PgValue(State state, T value) {
        this.state = state;
        this.value = value;
    }

    /** A value; use {@link #sqlNull()} for SQL NULL. */
    public static <T> PgValue<T> of(T value) {
        return new PgValue<>(State.VALUE, Objects.requireNonNull(value, "value (use PgValue.sqlNull() for SQL NULL)"));
    }

    /** SQL {@code NULL}. */
    @SuppressWarnings("unchecked")
    public static <T> PgValue<T> sqlNull() {
        return (PgValue<T>) NULL;
    }

    /** An unchanged TOAST value. */
    @SuppressWarnings("unchecked")
    public static <T> PgValue<T> unchangedToast() {
        return (PgValue<T>) UNCHANGED_TOAST;
    }

    /** A column the change does not carry. */
    @SuppressWarnings("unchecked")
    public static <T> PgValue<T> absent() {
        return (PgValue<T>) ABSENT;
    }

    /** What this holds. */
    public State state() {
        return state;
    }

    /** Whether this holds a value. */
    public boolean isValue() {
        return state == State.VALUE;
    }

    /** Whether this is SQL {@code NULL}. */
    public boolean isNull() {
        return state == State.NULL;
    }

    /** Whether this is an unchanged TOAST value, which the consumer should keep as it has it. */
    public boolean isUnchangedToast() {
        return state == State.UNCHANGED_TOAST;
    }

    /** Whether the change does not carry this column. */
    public boolean isAbsent() {
        return state == State.ABSENT;
    }

    /**
     * The value.
     *
     * @throws NoSuchElementException naming the state, when this holds no value
     */
    public T get() {
        if (state != State.VALUE) {
            throw new NoSuchElementException("no value: the column is " + describe(state));
        }
        return value;
    }

    /** The value, or {@code other} when this holds none. */
    public T orElse(T other) {
        return state == State.VALUE ? value : other;
    }

    /** The value, or empty when this holds none. */
    public Optional<T> toOptional() {
        return Optional.ofNullable(value);
    }

    /** The value mapped by {@code mapper}; any other state unchanged. */
    public <U> PgValue<U> map(Function<? super T, ? extends U> mapper) {
        return state == State.VALUE ? PgValue.of(mapper.apply(value)) : withoutValue();
    }

    @SuppressWarnings("unchecked")
    private <U> PgValue<U> withoutValue() {
        return (PgValue<U>) this;
    }

    private static String describe(State state) {
        return switch (state) {
            case VALUE -> "a value";
            case NULL -> "SQL NULL";
            case UNCHANGED_TOAST -> "an unchanged TOAST value (PostgreSQL did not send it)";
            case ABSENT -> "absent from this change";
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PgValue<?> that && state == that.state && java.util.Objects.deepEquals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * state.hashCode() + (value instanceof byte[] bytes ? java.util.Arrays.hashCode(bytes) : Objects.hashCode(value));
    }

    @Override
    public String toString() {
        return state == State.VALUE ? "PgValue[" + value + "]" : "PgValue[" + state + "]";
    }
}
