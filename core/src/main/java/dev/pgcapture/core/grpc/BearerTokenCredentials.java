package dev.pgcapture.core.grpc;

import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Call credentials that send {@code authorization: Bearer <token>} with every call.
 *
 * <p>A token is a password: by default it is sent only over a connection that is encrypted
 * (TLS) or that goes to a loopback address (for local and test set-ups). On any other plaintext
 * connection the call fails with {@code UNAUTHENTICATED} before anything is sent, unless the
 * credentials were made with {@link #allowingPlaintext}. {@link #toString()} never shows the token.
 */
public final class BearerTokenCredentials extends CallCredentials {

    private final String token;
    private final boolean allowPlaintext;

    private BearerTokenCredentials(String token, boolean allowPlaintext) {
        Objects.requireNonNull(token, "token");
        if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a bearer token must be non-empty visible ASCII without spaces");
        }
        this.token = token;
        this.allowPlaintext = allowPlaintext;
    }

    /**
     * Credentials sending {@code token} over TLS or to a loopback address only.
     *
     * @throws IllegalArgumentException when the token is empty or holds a space or a non-ASCII character
     */
    public static BearerTokenCredentials of(String token) {
        return new BearerTokenCredentials(token, false);
    }

    /** Credentials sending {@code token} over any connection, plaintext ones to other hosts too. */
    public static BearerTokenCredentials allowingPlaintext(String token) {
        return new BearerTokenCredentials(token, true);
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        if (info.getSecurityLevel() != SecurityLevel.PRIVACY_AND_INTEGRITY && !allowPlaintext
                && !loopback(info.getTransportAttrs().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR))) {
            applier.fail(Status.UNAUTHENTICATED.withDescription("refusing to send the bearer token to " + info.getAuthority()
                    + " over a plaintext connection: connect with TLS, or allow plaintext tokens explicitly"));
            return;
        }
        Metadata headers = new Metadata();
        headers.put(BearerTokenInterceptor.AUTHORIZATION, BearerTokenInterceptor.BEARER + token);
        applier.apply(headers);
    }

    private static boolean loopback(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }

    @Override
    public String toString() {
        return "BearerTokenCredentials[token=***" + (allowPlaintext ? ", plaintext allowed" : "") + "]";
    }
}
