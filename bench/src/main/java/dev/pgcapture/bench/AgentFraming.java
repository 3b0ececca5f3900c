package dev.pgcapture.bench;

import dev.pgcapture.agent.pulsar.PulsarSink;
import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.SourceMessage;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * The agent's own framing, through its {@link PulsarSink}: one pgcapture Message per Pulsar
 * message, Pulsar batching on, a change over 4 MiB split into ordered fragments.
 */
final class AgentFraming implements FramedPublisher {

    private final PulsarSink sink;

    AgentFraming(PulsarClient client, PulsarAdmin admin, PulsarSinkSettings settings) {
        this.sink = new PulsarSink(client, admin, settings);
    }

    @Override
    public void open(Consumer<Checkpoint> committed) throws Exception {
        sink.setup(committed);
    }

    @Override
    public void publish(SourceMessage message) throws Exception {
        sink.apply(message);
    }

    @Override
    public void flush(Duration timeout) throws Exception {
        sink.flush(timeout);
    }

    @Override
    public void close() {
        sink.close();
    }
}
