package dev.pgcapture.agent.capture;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link ReplicationSource} streams: the logical replication slot it reads, the
 * publication that selects the tables, whether values travel in binary, and how often it
 * reports its position to the server.
 *
 * @param slot the replication slot ({@code pgoutput}); PostgreSQL allows lower-case letters,
 *     digits and underscores
 * @param publication the publication the slot decodes
 * @param binary binary column values ({@code true}, the default) or text for the whole stream
 * @param statusInterval how often the position is reported to the server while streaming
 */
public record CaptureSettings(String slot, String publication, boolean binary, Duration statusInterval) {

    /** The slot and publication names {@code pgcapture init} uses unless told otherwise. */
    public static final String DEFAULT_NAME = "pgcapture";

    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    public CaptureSettings {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(publication, "publication");
        Objects.requireNonNull(statusInterval, "statusInterval");
        checkSlot(slot);
        checkPublication(publication);
        if (statusInterval.isNegative() || statusInterval.isZero() || statusInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("status interval " + statusInterval + " is out of range: it must be between 1 ms and 1 hour");
        }
    }

    /**
     * Checks a replication slot name the way PostgreSQL does.
     *
     * @throws IllegalArgumentException naming the slot and the rule when it is not valid
     */
    public static String checkSlot(String slot) {
        if (!SLOT_NAME.matcher(slot).matches()) {
            throw new IllegalArgumentException("slot name \"" + slot
                    + "\" is not valid: PostgreSQL allows 1 to 63 lower-case letters, digits and underscores");
        }
        return slot;
    }

    /**
     * Checks a publication name: 1 to 63 characters, and no single quote, which the
     * replication protocol's option syntax cannot carry.
     *
     * @throws IllegalArgumentException naming the publication and the rule when it is not valid
     */
    public static String checkPublication(String publication) {
        if (publication.isEmpty() || publication.length() > 63 || publication.indexOf('\'') >= 0 || publication.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("publication name \"" + publication
                    + "\" is not valid: it must have 1 to 63 characters and no single quote");
        }
        return publication;
    }

    /** The defaults: slot and publication {@code pgcapture}, binary, status every 10 seconds. */
    public static CaptureSettings defaults() {
        return new CaptureSettings(DEFAULT_NAME, DEFAULT_NAME, true, Duration.ofSeconds(10));
    }

    public CaptureSettings withSlot(String newSlot) {
        return new CaptureSettings(newSlot, publication, binary, statusInterval);
    }

    public CaptureSettings withPublication(String newPublication) {
        return new CaptureSettings(slot, newPublication, binary, statusInterval);
    }

    public CaptureSettings withBinary(boolean newBinary) {
        return new CaptureSettings(slot, publication, newBinary, statusInterval);
    }

    public CaptureSettings withStatusInterval(Duration newStatusInterval) {
        return new CaptureSettings(slot, publication, binary, newStatusInterval);
    }
}
