package dev.pgcapture.core;

/** A {@link SourceResolver} has nothing configured for a URI. */
public final class UnknownUriException extends Exception {

    private final String uri;

    public UnknownUriException(String uri) {
        super("no source is configured for URI \"" + uri + "\"");
        this.uri = uri;
    }

    /** The URI that is not configured. */
    public String uri() {
        return uri;
    }
}
