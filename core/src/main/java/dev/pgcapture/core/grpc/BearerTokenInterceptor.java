package dev.pgcapture.core.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Lets a call through only when it carries {@code authorization: Bearer <token>} with one of the
 * accepted tokens. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}
 * against every accepted token, so neither the time taken nor the order of the tokens tells a
 * caller how close a guess was. A refused call ends with {@code UNAUTHENTICATED} and a
 * description saying what is wrong (missing header, not a bearer token, token not accepted)
 * that never repeats what the caller sent.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {

    /** The request header that carries the token. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    static final String BEARER = "Bearer ";

    private final List<byte[]> accepted;

    /**
     * An interceptor accepting {@code tokens} (for example {@link BearerTokens#read}).
     *
     * @throws IllegalArgumentException when {@code tokens} is empty
     */
    public BearerTokenInterceptor(List<String> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("a bearer-token interceptor needs at least one accepted token");
        }
        this.accepted = tokens.stream().map(BearerTokenInterceptor::digest).toList();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String refusal = refusal(headers.get(AUTHORIZATION));
        if (refusal != null) {
            call.close(Status.UNAUTHENTICATED.withDescription(refusal), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return next.startCall(call, headers);
    }

    /** Why a call with this authorization header is refused, or null when it is accepted. */
    String refusal(String authorization) {
        if (authorization == null) {
            return "this server needs a bearer token: send the header \"authorization: Bearer <token>\"";
        }
        if (authorization.length() < BEARER.length() || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return "the authorization header is not of the form \"Bearer <token>\"";
        }
        byte[] presented = digest(authorization.substring(BEARER.length()).strip());
        boolean match = false;
        for (byte[] token : accepted) {
            match |= MessageDigest.isEqual(token, presented);
        }
        return match ? null : "the bearer token is not accepted by this server";
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
