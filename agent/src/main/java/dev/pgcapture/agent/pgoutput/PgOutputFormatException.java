package dev.pgcapture.agent.pgoutput;

/**
 * Thrown by {@link PgOutputDecoder} when bytes are not a well-formed {@code pgoutput} message
 * that the decoder supports.
 *
 * <p>The message names the message type, what is wrong and where: {@link #offset()} counts
 * bytes from the message's type byte (offset 0), not from the start of the buffer's backing
 * array.
 */
public final class PgOutputFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    PgOutputFormatException(String messageType, int offset, String problem) {
        super("cannot decode pgoutput " + messageType + " at byte offset " + offset + ": " + problem);
        this.offset = offset;
    }

    /** Where the problem was found, in bytes from the message's type byte. */
    public int offset() {
        return offset;
    }
}
