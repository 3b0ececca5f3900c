package dev.pgcapture.core;

import java.util.Locale;

/**
 * How a consumer URI's changes and dumps are delivered; chosen per {@code Capture} stream by
 * the init parameter {@value #PARAMETER}.
 */
public enum DeliveryMode {

    /**
     * One ordered consumer at a time (a Failover subscription: a second waits as a hot
     * standby). Commit order, requeues included: a requeued change is delivered again in place
     * before anything after it. Dumps are table by table, every row exactly once as of one LSN,
     * never older than what the consumer has already seen.
     */
    EXACT,

    /**
     * pgcapture's semantics (a Shared subscription): many consumers share the stream, a requeue
     * is a negative acknowledgement redelivered later, out of order; each dump chunk is read at
     * its own snapshot, so the state converges but may briefly go back.
     */
    SHARED;

    /** The init parameter that selects the mode. */
    public static final String PARAMETER = "Mode";

    /**
     * The mode a client asked for: {@code "exact"} or {@code "shared"}, in any case;
     * {@code null} or empty (every pgcapture client) is {@link #SHARED}.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static DeliveryMode parse(String value) {
        if (value == null || value.isEmpty()) {
            return SHARED;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "exact" -> EXACT;
            case "shared" -> SHARED;
            default -> throw new IllegalArgumentException(
                    "unknown " + PARAMETER + " \"" + value + "\": expected \"exact\" or \"shared\"");
        };
    }

    /** The parameter's value for this mode: {@code "exact"} or {@code "shared"}. */
    public String parameterValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
