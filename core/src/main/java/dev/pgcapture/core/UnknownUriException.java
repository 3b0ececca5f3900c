package dev.pgcapture.core;

/** A {@link SourceResolver} has nothing configured for a URI. */
public final class UnknownUriException extends Exception {

    private final String uri;

    public UnknownUriException(String uri) {
        this(uri, "no source is configured for URI \"" + uri + "\"");
    }

    /** For a URI that is configured in part (changes but no dumps, say); {@code message} says what is missing. */
    public UnknownUriException(String uri, String message) {
        super(message);
        this.uri = uri;
    }

    /** The URI that is not configured. */
    public String uri() {
        return uri;
    }
}
