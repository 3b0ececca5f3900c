package dev.pgcapture.agent.pulsar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import dev.pgcapture.core.TopicFormat;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestPulsar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pulsar.client.api.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Changes larger than one Pulsar message go through as fragments; the limit itself does not. */
@ExtendWith(PulsarExtension.class)
class PulsarSinkBigRowIT {

    private static final int SIX_MB = 6 * 1000 * 1000;

    @Test
    void sixMegabyteChange_isPublishedAsTwoFragments_andReadBackByteExact(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        Lsn lsn = new Lsn(0x5000);
        List<SourceMessage> stream = new ArrayList<>(Streams.transaction(lsn.value(), 3, 100));
        stream.set(2, Streams.change(lsn, 2, SIX_MB));
        Committed committed = new Committed();
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), PulsarSinkSettings.forTopic(topic))) {
            sink.setup(committed);
            for (SourceMessage message : stream) {
                sink.apply(message);
            }
            sink.flush(Duration.ofSeconds(60));
        }
        assertEquals(stream.get(stream.size() - 1).checkpoint(), committed.last());

        List<Message<byte[]>> raw = Topics.readRaw(pulsar.client(), topic);
        List<String> fragments = raw.stream().map(m -> m.getProperty(TopicFormat.FRAGMENT_PROPERTY)).toList();
        assertEquals(Arrays.asList(null, null, "0/2", "1/2", null, null), fragments);
        assertEquals("0/5000|2", raw.get(2).getKey());
        assertEquals("0/5000|2", raw.get(3).getKey());
        assertEquals(TopicFormat.DEFAULT_MAX_MESSAGE_BYTES, raw.get(2).getValue().length);

        List<SourceMessage> back = Topics.readAll(pulsar.client(), topic);
        assertEquals(stream, back);
        assertArrayEquals(stream.get(2).message().toByteArray(), back.get(2).message().toByteArray());
    }

    @Test
    void changeExactlyAtTheLimit_isOneMessage_andOneByteMoreIsTwoFragments(TestPulsar pulsar) throws Exception {
        String topic = pulsar.newTopic();
        Lsn lsn = new Lsn(0x6000);
        SourceMessage atLimit = Streams.change(lsn, 1, 100_000);
        int limit = atLimit.message().getSerializedSize();
        SourceMessage overLimit = Streams.change(lsn, 2, 100_001);
        assertEquals(limit + 1, overLimit.message().getSerializedSize(), "test premise: one byte more");
        try (PulsarSink sink = new PulsarSink(pulsar.client(), pulsar.admin(), PulsarSinkSettings.forTopic(topic).withMaxMessageBytes(limit))) {
            sink.setup(new Committed());
            sink.apply(atLimit);
            sink.apply(overLimit);
            sink.flush(Duration.ofSeconds(30));
        }
        List<Message<byte[]>> raw = Topics.readRaw(pulsar.client(), topic);
        assertEquals(3, raw.size());
        assertEquals(Map.of(), raw.get(0).getProperties());
        assertEquals(limit, raw.get(0).getValue().length);
        assertEquals(Map.of(TopicFormat.FRAGMENT_PROPERTY, "0/2"), raw.get(1).getProperties());
        assertEquals(Map.of(TopicFormat.FRAGMENT_PROPERTY, "1/2"), raw.get(2).getProperties());
        assertEquals(1, raw.get(2).getValue().length);
        assertEquals(List.of(atLimit, overLimit), Topics.readAll(pulsar.client(), topic));
    }
}
