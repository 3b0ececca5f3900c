package dev.pgcapture.core;

/**
 * Maps a consumer's URI to where its changes and dumps come from. The gateway asks it once per
 * {@code Capture} stream; implementations are found by configuration (a static JSON file) or
 * loaded as plug-ins.
 */
public interface SourceResolver {

    /**
     * The change source for {@code uri}, a new one per call: the caller owns and closes it.
     *
     * @throws UnknownUriException when no source is configured for {@code uri}
     */
    RequeueSource source(String uri) throws UnknownUriException, Exception;

    /**
     * The dumper for {@code uri}, a new one per call: the caller owns and closes it.
     *
     * @throws UnknownUriException when no dumps are configured for {@code uri}
     */
    SourceDumper dumper(String uri) throws UnknownUriException, Exception;
}
