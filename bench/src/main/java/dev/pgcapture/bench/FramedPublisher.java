package dev.pgcapture.bench;

import dev.pgcapture.core.Checkpoint;
import dev.pgcapture.core.SourceMessage;
import java.time.Duration;
import java.util.function.Consumer;

/** One way of laying a change stream out in a Pulsar topic, measured by {@link FramingScenario}. */
interface FramedPublisher extends AutoCloseable {

    /** Prepares the topic and opens the producer; {@code committed} hears acknowledged checkpoints in order. */
    void open(Consumer<Checkpoint> committed) throws Exception;

    /** Hands one message over; may block while the producer's queue is full. */
    void publish(SourceMessage message) throws Exception;

    /** Sends whatever is held back and waits until everything published is acknowledged. */
    void flush(Duration timeout) throws Exception;

    @Override
    void close();
}
