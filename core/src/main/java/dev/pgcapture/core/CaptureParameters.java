package dev.pgcapture.core;

/**
 * The names of the parameters a consumer passes in {@code CaptureInit.parameters}, shared by the
 * gateway that reads them and the consumer SDK that sends them.
 *
 * <ul>
 *   <li>{@value DeliveryMode#PARAMETER}: {@code "exact"} or {@code "shared"} (the default), see {@link DeliveryMode};
 *   <li>{@value #TABLE_REGEX}: pgcapture's table filter, a regular expression found anywhere in
 *       the bare table name, as Go's {@code Regexp.MatchString} finds it;
 *   <li>{@value #MAX_ATTEMPTS}: exact mode only, how many times a change may be requeued before
 *       it goes to the dead-letter topic; unset, it is retried for ever.
 * </ul>
 */
public final class CaptureParameters {

    /** pgcapture's table filter. */
    public static final String TABLE_REGEX = "TableRegex";

    /** The attempts before a change goes to the dead-letter topic (exact mode). */
    public static final String MAX_ATTEMPTS = "MaxAttempts";

    private CaptureParameters() {
    }
}
