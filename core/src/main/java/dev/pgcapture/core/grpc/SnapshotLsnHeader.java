package dev.pgcapture.core.grpc;

import io.grpc.Metadata;

/**
 * The response header metadata in which {@code Agent.StreamDump} sends the source LSN its
 * snapshot corresponds to (text {@code X/Y}), so that the RPC keeps pgcapture's shape; an empty
 * dump carries it in the trailers.
 */
public final class SnapshotLsnHeader {

    /** The header's name. */
    public static final String NAME = "pgcapture-snapshot-lsn";

    /** The header's key. */
    public static final Metadata.Key<String> KEY = Metadata.Key.of(NAME, Metadata.ASCII_STRING_MARSHALLER);

    private SnapshotLsnHeader() {
    }
}
