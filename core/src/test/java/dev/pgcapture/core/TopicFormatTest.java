package dev.pgcapture.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.core.TopicFormat.Assembler;
import dev.pgcapture.core.TopicFormat.Fragment;
import dev.pgcapture.core.TopicFormat.Part;
import dev.pgcapture.proto.Begin;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.Message;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicFormatTest {

    private static final Lsn LSN = Lsn.parse("16/B374D848");

    private static SourceMessage change(int seq, int valueBytes) {
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31 + seq);
        }
        Message message = Message.newBuilder()
                .setChange(Change.newBuilder().setOp(Change.Operation.INSERT).setSchema("public").setTable("t")
                        .addNew(Field.newBuilder().setName("v").setOid(17).setBinary(ByteString.copyFrom(value))))
                .build();
        return new SourceMessage(Checkpoint.of(LSN, seq), message);
    }

    private static Optional<SourceMessage> feed(Assembler assembler, Part part) {
        return assembler.accept(part.key(), part.properties(), part.payload());
    }

    @Test
    void key_isCheckpointToString_andParsesBack() {
        Checkpoint checkpoint = Checkpoint.of(LSN, 0x1f);
        assertEquals("16/B374D848|1f", TopicFormat.key(checkpoint));
        assertEquals(checkpoint, TopicFormat.parseKey("16/B374D848|1f"));
        assertEquals(Checkpoint.of(Lsn.ZERO, -1), TopicFormat.parseKey("0/0|ffffffff"));
    }

    @Test
    void parseKey_rejectsAnythingButTheCanonicalForm() {
        for (String bad : new String[] {"", "16/B374D848", "16/b374d848|1", "16/B374D848|1F", "16/B374D848|01",
                "016/B374D848|1", "16/B374D848|", "16/B374D848|123456789", "16/B374D848|-1", " 16/B374D848|1"}) {
            TopicFormatException e = assertThrows(TopicFormatException.class, () -> TopicFormat.parseKey(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid key \"" + bad + "\""), e.getMessage());
        }
        assertEquals("a pgcapture message has no key; expected \"X/Y|seq\"",
                assertThrows(TopicFormatException.class, () -> TopicFormat.parseKey(null)).getMessage());
    }

    @Test
    void split_atLimit_isOneWholeMessageWithoutProperties() {
        SourceMessage message = change(3, 1000);
        int size = message.message().getSerializedSize();
        List<Part> parts = TopicFormat.split(message, size);
        assertEquals(1, parts.size());
        assertEquals("16/B374D848|3", parts.get(0).key());
        assertEquals(Map.of(), parts.get(0).properties());
        assertArrayEquals(message.message().toByteArray(), parts.get(0).payload());
        assertEquals(Optional.empty(), parts.get(0).fragment());
    }

    @Test
    void split_oneByteOverLimit_isTwoFragments() {
        SourceMessage message = change(3, 1000);
        int size = message.message().getSerializedSize();
        List<Part> parts = TopicFormat.split(message, size - 1);
        assertEquals(2, parts.size());
        assertEquals(Map.of(TopicFormat.FRAGMENT_PROPERTY, "0/2"), parts.get(0).properties());
        assertEquals(Map.of(TopicFormat.FRAGMENT_PROPERTY, "1/2"), parts.get(1).properties());
        assertEquals(size - 1, parts.get(0).payload().length);
        assertEquals(1, parts.get(1).payload().length);
    }

    @Test
    void split_exactMultipleOfLimit_hasFullFragmentsOnly() {
        SourceMessage message = change(1, 999);
        int size = message.message().getSerializedSize();
        assertEquals(0, size % 4, "test premise: the serialized size divides by 4, was " + size);
        List<Part> parts = TopicFormat.split(message, size / 4);
        assertEquals(4, parts.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(size / 4, parts.get(i).payload().length);
            assertEquals(Optional.of(new Fragment(i, 4)), parts.get(i).fragment());
            assertEquals("16/B374D848|1", parts.get(i).key());
        }
    }

    @Test
    void splitThenAssemble_roundTripsByteExact() {
        SourceMessage message = change(7, 100_000);
        for (int limit : new int[] {1, 7, 4096, 99_999, 100_010, 1 << 20}) {
            List<Part> parts = TopicFormat.split(message, limit);
            Assembler assembler = new Assembler();
            for (int i = 0; i < parts.size() - 1; i++) {
                assertEquals(Optional.empty(), feed(assembler, parts.get(i)));
                assertTrue(assembler.hasPartial());
            }
            SourceMessage back = feed(assembler, parts.get(parts.size() - 1)).orElseThrow();
            assertEquals(message, back, "limit " + limit);
            assertArrayEquals(message.message().toByteArray(), back.message().toByteArray());
            assertFalse(assembler.hasPartial());
            assertEquals(0, assembler.discardedSequences());
        }
    }

    @Test
    void split_rejectsNonPositiveLimit() {
        assertEquals("maxMessageBytes must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> TopicFormat.split(change(1, 1), 0)).getMessage());
    }

    @Test
    void assembler_partialSequenceThenRestartAtIndexZero_discardsThePartial() {
        SourceMessage big = change(5, 10_000);
        List<Part> parts = TopicFormat.split(big, 3000);
        assertEquals(4, parts.size());
        Assembler assembler = new Assembler();
        feed(assembler, parts.get(0));
        feed(assembler, parts.get(1));
        // The writer crashed here and sent the whole message again after its restart.
        List<SourceMessage> out = parts.stream().flatMap(p -> feed(assembler, p).stream()).toList();
        assertEquals(List.of(big), out);
        assertEquals(1, assembler.discardedSequences());
    }

    @Test
    void assembler_partialSequenceThenWholeMessage_discardsThePartial() {
        List<Part> parts = TopicFormat.split(change(5, 10_000), 3000);
        SourceMessage small = change(4, 10);
        Assembler assembler = new Assembler();
        feed(assembler, parts.get(0));
        Part whole = TopicFormat.split(small, 3000).get(0);
        assertEquals(Optional.of(small), feed(assembler, whole));
        assertEquals(1, assembler.discardedSequences());
        assertFalse(assembler.hasPartial());
    }

    @Test
    void assembler_skippedFragment_isAClearError() {
        List<Part> parts = TopicFormat.split(change(5, 10_000), 3000);
        Assembler assembler = new Assembler();
        feed(assembler, parts.get(0));
        TopicFormatException e = assertThrows(TopicFormatException.class, () -> feed(assembler, parts.get(2)));
        assertEquals("fragment 2/4 of key \"16/B374D848|5\" arrives out of order: expected fragment 1/4", e.getMessage());
    }

    @Test
    void assembler_fragmentWithoutItsStart_isAClearError() {
        List<Part> parts = TopicFormat.split(change(5, 10_000), 3000);
        TopicFormatException e = assertThrows(TopicFormatException.class, () -> feed(new Assembler(), parts.get(1)));
        assertEquals("fragment 1/4 of key \"16/B374D848|5\" arrives without the fragments before it; a topic must be read from a message boundary", e.getMessage());
    }

    @Test
    void assembler_fragmentOfAnotherKeyInsideASequence_isAClearError() {
        List<Part> first = TopicFormat.split(change(5, 10_000), 3000);
        List<Part> other = TopicFormat.split(change(6, 10_000), 3000);
        Assembler assembler = new Assembler();
        feed(assembler, first.get(0));
        TopicFormatException e = assertThrows(TopicFormatException.class, () -> feed(assembler, other.get(1)));
        assertEquals("fragment 1/4 of key \"16/B374D848|6\" arrives in the middle of the fragments of key \"16/B374D848|5\", which expects fragment 1/4 next", e.getMessage());
    }

    @Test
    void assembler_fragmentWithAnotherCount_isAClearError() {
        List<Part> parts = TopicFormat.split(change(5, 10_000), 3000);
        Assembler assembler = new Assembler();
        feed(assembler, parts.get(0));
        TopicFormatException e = assertThrows(TopicFormatException.class,
                () -> assembler.accept(parts.get(1).key(), Map.of(TopicFormat.FRAGMENT_PROPERTY, "1/5"), parts.get(1).payload()));
        assertEquals("fragment 1/5 of key \"16/B374D848|5\" arrives out of order: expected fragment 1/4", e.getMessage());
    }

    @Test
    void fragmentProperty_malformedValues_areRejected() {
        for (String bad : new String[] {"", "1", "0/1", "2/2", "-1/2", "01/2", "0/02", "a/b", "0/2/3", " 0/2"}) {
            TopicFormatException e = assertThrows(TopicFormatException.class,
                    () -> TopicFormat.fragmentOf("0/1|1", Map.of(TopicFormat.FRAGMENT_PROPERTY, bad)), bad);
            assertEquals("invalid pgcapture-fragment \"" + bad + "\" on key \"0/1|1\": expected \"<index>/<count>\" in decimal with 0 <= index < count and count >= 2",
                    e.getMessage());
        }
        assertEquals(Optional.of(new Fragment(9, 10)), TopicFormat.fragmentOf("0/1|1", Map.of(TopicFormat.FRAGMENT_PROPERTY, "9/10")));
        assertEquals(Optional.empty(), TopicFormat.fragmentOf("0/1|1", Map.of("other", "x")));
    }

    @Test
    void assembler_payloadThatIsNotAMessage_isAClearError() {
        TopicFormatException e = assertThrows(TopicFormatException.class,
                () -> new Assembler().accept("0/1|1", Map.of(), new byte[] {(byte) 0xff, (byte) 0xff}));
        assertTrue(e.getMessage().startsWith("the payload of key \"0/1|1\" (2 bytes) is not a pgcapture Message: "), e.getMessage());
    }

    @Test
    void assembler_concatenatesPayloadsInOrder() throws Exception {
        SourceMessage message = new SourceMessage(Checkpoint.of(LSN, 0),
                Message.newBuilder().setBegin(Begin.newBuilder().setFinalLsn(LSN.value()).setRemoteXid(42)).build());
        byte[] bytes = message.message().toByteArray();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Part part : TopicFormat.split(message, 2)) {
            joined.write(part.payload());
        }
        assertArrayEquals(bytes, joined.toByteArray());
    }

    @Test
    void lastComplete_wholeOrLastFragment_isItsCheckpoint() {
        assertEquals(Optional.of(Checkpoint.of(LSN, 5)), TopicFormat.lastComplete("16/B374D848|5", Map.of()));
        assertEquals(Optional.of(Checkpoint.of(LSN, 5)), TopicFormat.lastComplete("16/B374D848|5", Map.of(TopicFormat.FRAGMENT_PROPERTY, "3/4")));
    }

    @Test
    void lastComplete_incompleteFragmentSequence_isTheCheckpointJustBefore() {
        assertEquals(Optional.of(Checkpoint.of(LSN, 4)), TopicFormat.lastComplete("16/B374D848|5", Map.of(TopicFormat.FRAGMENT_PROPERTY, "2/4")));
        assertEquals(Optional.of(Checkpoint.of(Lsn.parse("16/B374D847"), -1)),
                TopicFormat.lastComplete("16/B374D848|0", Map.of(TopicFormat.FRAGMENT_PROPERTY, "0/2")));
        assertEquals(Optional.empty(), TopicFormat.lastComplete("0/0|0", Map.of(TopicFormat.FRAGMENT_PROPERTY, "0/2")));
    }

    @Test
    void before_isTheGreatestCheckpointStrictlyBefore() {
        Checkpoint next = Checkpoint.of(Lsn.parse("1/0"), 0);
        Checkpoint before = TopicFormat.before(next).orElseThrow();
        assertEquals(Checkpoint.of(Lsn.parse("0/FFFFFFFF"), -1), before);
        assertTrue(next.isAfter(before));
        assertEquals(Optional.of(Checkpoint.of(LSN, 0)), TopicFormat.before(Checkpoint.of(LSN, 1)));
    }
}
