package dev.pgcapture.agent.dump;

import dev.pgcapture.core.Lsn;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts a dump's snapshot LSN into the response header metadata {@value #NAME} (text
 * {@code X/Y}), so that {@code StreamDump} keeps pgcapture's shape. The service sets the LSN
 * through {@link #slot()} before its first row; a response without rows carries it in the trailers.
 */
final class SnapshotLsnHeader implements ServerInterceptor {

    static final String NAME = dev.pgcapture.core.grpc.SnapshotLsnHeader.NAME;
    static final Metadata.Key<String> KEY = dev.pgcapture.core.grpc.SnapshotLsnHeader.KEY;

    private static final Context.Key<AtomicReference<Lsn>> SLOT = Context.key(NAME);

    /** Where the current call's service sets the snapshot LSN; call it on the gRPC thread that runs the method. */
    static AtomicReference<Lsn> slot() {
        AtomicReference<Lsn> slot = SLOT.get();
        return slot == null ? new AtomicReference<>() : slot;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        AtomicReference<Lsn> slot = new AtomicReference<>();
        ServerCall<Q, A> withHeader = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            private volatile boolean headersSent;

            @Override
            public void sendHeaders(Metadata responseHeaders) {
                put(responseHeaders);
                headersSent = true;
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (!headersSent) {
                    put(trailers);
                }
                super.close(status, trailers);
            }

            private void put(Metadata metadata) {
                Lsn lsn = slot.get();
                if (lsn != null) {
                    metadata.put(KEY, lsn.toString());
                }
            }
        };
        return Contexts.interceptCall(Context.current().withValue(SLOT, slot), withHeader, headers, next);
    }
}
