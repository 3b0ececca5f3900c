package dev.pgcapture.gateway;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.proto.Change;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The parameters of a {@code CaptureInit}.
 *
 * <p>{@value #TABLE_REGEX} is pgcapture's filter: a change (or a dump chunk) passes when the
 * regular expression is found anywhere in its table name, the bare name without the schema,
 * as Go's {@code Regexp.MatchString} finds it (anchor it with {@code ^...$} to match the whole
 * name). {@value DeliveryMode#PARAMETER} is {@code "exact"} or {@code "shared"} (the default).
 * {@value #MAX_ATTEMPTS}, in exact mode only, is how many times a change may be requeued before
 * it goes to the dead-letter topic; unset, it is retried for ever. Other keys are ignored, as
 * pgcapture ignores them.
 */
record CaptureParameters(DeliveryMode mode, Optional<Pattern> tableRegex, OptionalInt maxAttempts) {

    static final String TABLE_REGEX = dev.pgcapture.core.CaptureParameters.TABLE_REGEX;
    static final String MAX_ATTEMPTS = dev.pgcapture.core.CaptureParameters.MAX_ATTEMPTS;

    /**
     * Reads the parameters of an init request.
     *
     * @throws IllegalArgumentException naming the parameter and what is wrong with it
     */
    static CaptureParameters parse(Struct parameters) {
        DeliveryMode mode = DeliveryMode.parse(string(parameters, DeliveryMode.PARAMETER));
        String regex = string(parameters, TABLE_REGEX);
        Optional<Pattern> tableRegex = Optional.empty();
        if (regex != null && !regex.isEmpty()) {
            try {
                tableRegex = Optional.of(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid " + TABLE_REGEX + " \"" + regex + "\": " + e.getDescription()
                        + " near index " + e.getIndex());
            }
        }
        OptionalInt maxAttempts = maxAttempts(parameters.getFieldsMap().get(MAX_ATTEMPTS));
        if (maxAttempts.isPresent() && mode != DeliveryMode.EXACT) {
            throw new IllegalArgumentException(MAX_ATTEMPTS + " applies to " + DeliveryMode.PARAMETER
                    + " \"exact\" only; in shared mode a requeue is redelivered by the subscription");
        }
        return new CaptureParameters(mode, tableRegex, maxAttempts);
    }

    /** Whether a change of this table is delivered. */
    boolean passes(String table) {
        return tableRegex.isEmpty() || tableRegex.get().matcher(table).find();
    }

    boolean passes(Change change) {
        return passes(change.getTable());
    }

    private static String string(Struct parameters, String name) {
        Value value = parameters.getFieldsMap().get(name);
        if (value == null || value.hasNullValue()) {
            return null;
        }
        if (!value.hasStringValue()) {
            throw new IllegalArgumentException(name + " must be a string, was " + describe(value));
        }
        return value.getStringValue();
    }

    private static OptionalInt maxAttempts(Value value) {
        if (value == null || value.hasNullValue()) {
            return OptionalInt.empty();
        }
        if (!value.hasNumberValue()) {
            throw new IllegalArgumentException(MAX_ATTEMPTS + " must be a number, was " + describe(value));
        }
        double number = value.getNumberValue();
        if (number != Math.rint(number) || number < 1 || number > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(MAX_ATTEMPTS + " must be a whole number from 1 to " + Integer.MAX_VALUE
                    + ", was " + number);
        }
        return OptionalInt.of((int) number);
    }

    private static String describe(Value value) {
        return switch (value.getKindCase()) {
            case NUMBER_VALUE -> "the number " + value.getNumberValue();
            case STRING_VALUE -> "the string \"" + value.getStringValue() + "\"";
            case BOOL_VALUE -> "the boolean " + value.getBoolValue();
            case STRUCT_VALUE -> "an object";
            case LIST_VALUE -> "a list";
            default -> "empty";
        };
    }
}
