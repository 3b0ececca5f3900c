package dev.pgcapture.gateway;

import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.RequeueSource;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.SourceResolver;
import dev.pgcapture.core.UnknownUriException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * URIs mapped to fake sources and dumpers. A URI's source is handed out once per stream, in the
 * order {@link #source(String, FakeSource)} registered them; a URI bound to a mode refuses the other one.
 */
final class FakeResolver implements SourceResolver {

    private final Map<String, List<FakeSource>> sources = new ConcurrentHashMap<>();
    private final Map<String, FakeDumper> dumpers = new ConcurrentHashMap<>();
    private final Map<String, DeliveryMode> modes = new ConcurrentHashMap<>();

    /** Registers the next source a stream on {@code uri} gets. */
    FakeSource source(String uri, FakeSource source) {
        sources.computeIfAbsent(uri, u -> new CopyOnWriteArrayList<>()).add(source);
        return source;
    }

    FakeSource source(String uri) {
        return source(uri, new FakeSource());
    }

    FakeDumper dumper(String uri, FakeDumper dumper) {
        dumpers.put(uri, dumper);
        return dumper;
    }

    /** Binds {@code uri}'s subscription to {@code mode}: a stream in the other mode is refused. */
    void bind(String uri, DeliveryMode mode) {
        modes.put(uri, mode);
    }

    @Override
    public RequeueSource source(String uri, DeliveryMode mode) throws UnknownUriException {
        List<FakeSource> list = sources.get(uri);
        if (list == null) {
            throw new UnknownUriException(uri);
        }
        DeliveryMode bound = modes.get(uri);
        if (bound != null && bound != mode) {
            throw new IllegalStateException("subscription of URI \"" + uri + "\" is consumed in " + bound.parameterValue()
                    + " mode, not " + mode.parameterValue());
        }
        if (list.isEmpty()) {
            throw new IllegalStateException("the test registered no more sources for URI \"" + uri + "\"");
        }
        return list.remove(0);
    }

    @Override
    public Optional<SourceDumper> dumper(String uri) throws UnknownUriException {
        FakeDumper dumper = dumpers.get(uri);
        if (dumper == null) {
            if (!sources.containsKey(uri)) {
                throw new UnknownUriException(uri);
            }
            return Optional.empty();
        }
        return Optional.of(dumper.open());
    }
}
