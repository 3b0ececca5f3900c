package dev.pgcapture.agent.pulsar;

import dev.pgcapture.core.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Records what a sink reports as committed, and which thread-safe order it came in. */
final class Committed implements Consumer<Checkpoint> {

    private final List<Checkpoint> reported = new ArrayList<>();

    @Override
    public synchronized void accept(Checkpoint checkpoint) {
        reported.add(checkpoint);
    }

    synchronized List<Checkpoint> reported() {
        return List.copyOf(reported);
    }

    synchronized Checkpoint last() {
        return reported.isEmpty() ? null : reported.get(reported.size() - 1);
    }
}
