package dev.pgcapture.core;

import java.util.Optional;

/**
 * Maps a consumer's URI to where its changes and dumps come from. The gateway asks it once per
 * {@code Capture} stream; implementations are found by configuration (a static JSON file) or
 * loaded as plug-ins.
 */
public interface SourceResolver {

    /**
     * The change source for {@code uri}, delivering as {@code mode} promises, a new one per
     * call: the caller owns and closes it. In {@link DeliveryMode#EXACT} the caller retries a
     * refused message in place itself, and {@link RequeueSource#requeue} gives up on it (a
     * dead-letter topic); in {@link DeliveryMode#SHARED} a requeue is a redelivery later.
     *
     * @throws UnknownUriException when no source is configured for {@code uri}
     * @throws IllegalStateException when the subscription is in use in the other mode; the
     *     message names both
     */
    RequeueSource source(String uri, DeliveryMode mode) throws UnknownUriException, Exception;

    /**
     * The dumper for {@code uri}, a new one per call: the caller owns and closes it; empty when
     * the URI has changes but no dumps configured.
     *
     * @throws UnknownUriException when nothing is configured for {@code uri}
     */
    Optional<SourceDumper> dumper(String uri) throws UnknownUriException, Exception;
}
