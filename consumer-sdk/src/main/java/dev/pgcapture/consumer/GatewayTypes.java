package dev.pgcapture.consumer;

import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.proto.DBLogGatewayGrpc;
import dev.pgcapture.proto.DescribeTypesRequest;
import dev.pgcapture.proto.DescribeTypesResponse;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The codecs of a consumer: the built-in types, plus the user types (enums, domains, composites,
 * ranges, arrays of them) the gateway describes by their source OIDs when a change first carries
 * them. A type the gateway cannot describe (a gateway without a replica for the URI, or one that
 * does not know the RPC) is asked again a minute later; meanwhile its values stay undecoded and
 * bind to {@code Object} only. Used by the consumer's thread alone.
 */
final class GatewayTypes {

    private static final Logger log = LoggerFactory.getLogger(GatewayTypes.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration ASK_AGAIN = Duration.ofMinutes(1);

    private final Channel channel;
    private final String uri;
    private final Clock clock;
    private final Map<Integer, Instant> unanswered = new HashMap<>();
    private PgCodecs codecs = PgCodecs.builtIn();

    GatewayTypes(Channel channel, String uri, Clock clock) {
        this.channel = channel;
        this.uri = uri;
        this.clock = clock;
    }

    PgCodecs codecs() {
        return codecs;
    }

    /** Makes sure every OID in {@code oids} is known, asking the gateway for those that are not. */
    PgCodecs covering(Collection<Integer> oids) {
        List<Integer> unknown = null;
        Instant now = clock.instant();
        for (int oid : oids) {
            if (!codecs.knows(oid)) {
                Instant askedAt = unanswered.get(oid);
                if (askedAt == null || !now.isBefore(askedAt.plus(ASK_AGAIN))) {
                    if (unknown == null) {
                        unknown = new java.util.ArrayList<>();
                    }
                    if (!unknown.contains(oid)) {
                        unknown.add(oid);
                    }
                }
            }
        }
        if (unknown != null) {
            describe(unknown, now);
        }
        return codecs;
    }

    private void describe(List<Integer> oids, Instant now) {
        try {
            DescribeTypesResponse response = DBLogGatewayGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .describeTypes(DescribeTypesRequest.newBuilder().setUri(uri).addAllOids(oids).build());
            codecs = codecs.with(response.getTypesList());
            for (int oid : response.getUnknownOidsList()) {
                unanswered.put(oid, now);
            }
            for (int oid : oids) {
                if (codecs.knows(oid)) {
                    unanswered.remove(oid);
                } else {
                    unanswered.put(oid, now);
                }
            }
        } catch (StatusRuntimeException | IllegalArgumentException e) {
            log.warn("the gateway could not describe types {} of URI \"{}\" (their values stay undecoded): {}", oids, uri,
                    e.getMessage());
            oids.forEach(oid -> unanswered.put(oid, now));
        }
    }
}
