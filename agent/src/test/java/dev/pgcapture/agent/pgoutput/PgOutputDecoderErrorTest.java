package dev.pgcapture.agent.pgoutput;

import static dev.pgcapture.agent.pgoutput.MessageWriter.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a message can be malformed or unsupported, and what the error says. */
class PgOutputDecoderErrorTest {

    private static PgOutputFormatException decodeFails(ByteBuffer buffer) {
        return assertThrows(PgOutputFormatException.class, () -> PgOutputDecoder.decode(buffer));
    }

    private static void assertMentions(PgOutputFormatException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    /** One well-formed message of every supported type. */
    static Stream<Arguments> wellFormedMessages() {
        return Stream.of(
                Arguments.of("Begin message ('B')", message('B').i64(1).i64(2).i32(3)),
                Arguments.of("Commit message ('C')", message('C').u8(0).i64(1).i64(2).i64(3)),
                Arguments.of("Origin message ('O')", message('O').i64(1).string("o")),
                Arguments.of("Relation message ('R')", message('R').i32(1).string("s").string("t").u8('d').i16(1)
                        .u8(1).string("id").i32(23).i32(-1)),
                Arguments.of("Type message ('Y')", message('Y').i32(1).string("s").string("t")),
                Arguments.of("Insert message ('I')", message('I').i32(1).u8('N').tuple(2).text("a").binary((byte) 1)),
                Arguments.of("Update message ('U')", message('U').i32(1).u8('O').tuple(1).nullValue()
                        .u8('N').tuple(1).unchangedToast()),
                Arguments.of("Delete message ('D')", message('D').i32(1).u8('K').tuple(1).text("k")),
                Arguments.of("Truncate message ('T')", message('T').i32(2).u8(3).i32(1).i32(2)),
                Arguments.of("Logical decoding message ('M')", message('M').u8(1).i64(1).string("p").counted(new byte[] {1, 2})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormedMessages")
    void decode_everyTruncation_failsNamingTheMessageAndTruncation(String name, MessageWriter message) {
        int length = message.bytes().length;
        PgOutputDecoder.decode(message.buffer());
        for (int cut = 1; cut < length; cut++) {
            PgOutputFormatException e = decodeFails(message.truncatedTo(cut));
            assertMentions(e, name, "truncated");
            assertTrue(e.offset() <= cut, "offset " + e.offset() + " lies within the " + cut + " bytes: " + e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormedMessages")
    void decode_trailingByte_failsAtTheEndOfTheMessage(String name, MessageWriter message) {
        int length = message.bytes().length;

        PgOutputFormatException e = decodeFails(message.u8(0).buffer());

        assertMentions(e, name, "1 unexpected trailing byte(s)", "byte offset " + length);
        assertEquals(length, e.offset());
    }

    @Test
    void decode_emptyBuffer_failsAskingForATypeByte() {
        PgOutputFormatException e = decodeFails(ByteBuffer.wrap(new byte[8], 8, 0));

        assertMentions(e, "empty buffer", "message type byte", "byte offset 0");
    }

    @Test
    void decode_unknownMessageType_failsNamingTheType() {
        assertMentions(decodeFails(message('Z').buffer()), "unknown message type 'Z' (0x5A)", "byte offset 0");
        assertMentions(decodeFails(message((char) 0).buffer()), "unknown message type 0x00");
    }

    @ParameterizedTest
    @ValueSource(chars = {'S', 'E', 'c', 'A'})
    void decode_streamMessage_failsSayingStreamingIsNotEnabled(char type) {
        PgOutputFormatException e = decodeFails(message(type).i32(1).buffer());

        assertMentions(e, "Stream", "('" + type + "')", "streaming of in-progress transactions is not enabled");
    }

    @ParameterizedTest
    @ValueSource(chars = {'b', 'P', 'K', 'r', 'p'})
    void decode_twoPhaseMessage_failsSayingTwoPhaseIsNotEnabled(char type) {
        PgOutputFormatException e = decodeFails(message(type).i64(1).buffer());

        assertMentions(e, "('" + type + "')", "two-phase commit is not enabled");
    }

    @Test
    void decode_unknownTupleKind_failsAtTheKindByte() {
        PgOutputFormatException e = decodeFails(message('I').i32(1).u8('N').tuple(2).nullValue().u8('x').buffer());

        assertMentions(e, "Insert message ('I')", "unknown kind 'x' (0x78) of new tuple column 1", "'n', 'u', 't' or 'b'");
        assertEquals(9, e.offset());
    }

    @Test
    void decode_negativeValueLength_failsNamingTheLength() {
        PgOutputFormatException e = decodeFails(message('I').i32(1).u8('N').tuple(1).u8('t').i32(-2).buffer());

        assertMentions(e, "Insert message ('I')", "negative new tuple column 0 text value length -2");
        assertEquals(9, e.offset());
    }

    @Test
    void decode_valueLongerThanMessage_failsAsTruncated() {
        PgOutputFormatException e = decodeFails(message('I').i32(1).u8('N').tuple(1).u8('b').i32(100).raw((byte) 1)
                .buffer());

        assertMentions(e, "truncated", "binary value needs 100 byte(s), 1 left", "byte offset 13");
    }

    @Test
    void decode_hugeColumnCountWithoutData_failsAsTruncated() {
        PgOutputFormatException e = decodeFails(message('I').i32(1).u8('N').tuple(0xFFFF).buffer());

        assertMentions(e, "truncated", "new tuple column 0 kind");
    }

    @Test
    void decode_unterminatedString_failsNamingTheField() {
        PgOutputFormatException e = decodeFails(message('O').i64(1).raw("origin".getBytes()).buffer());

        assertMentions(e, "Origin message ('O')", "truncated: origin name has no terminating NUL byte", "byte offset 9");
    }

    @Test
    void decode_invalidUtf8Name_failsAtTheBadByte() {
        ByteBuffer bytes = message('Y').i32(1).string("s").raw((byte) 'a', (byte) 0xC3, (byte) 'b', (byte) 0).buffer();

        PgOutputFormatException e = decodeFails(bytes);

        assertMentions(e, "Type message ('Y')", "type name is not valid UTF-8");
        assertEquals(8, e.offset());
    }

    @Test
    void insert_oldTupleTag_failsExpectingNewTuple() {
        PgOutputFormatException e = decodeFails(message('I').i32(1).u8('K').tuple(0).buffer());

        assertMentions(e, "Insert message ('I')", "unexpected tuple tag 'K' (0x4B), expected 'N'", "byte offset 5");
    }

    @Test
    void update_unknownTag_failsListingTheAllowedTags() {
        PgOutputFormatException e = decodeFails(message('U').i32(1).u8('X').tuple(0).buffer());

        assertMentions(e, "Update message ('U')", "unexpected tuple tag 'X' (0x58), expected 'K', 'O' or 'N'");
    }

    @Test
    void update_twoOldTuples_failsExpectingTheNewTuple() {
        PgOutputFormatException e = decodeFails(message('U').i32(1).u8('K').tuple(0).u8('O').tuple(0).buffer());

        assertMentions(e, "Update message ('U')", "unexpected tuple tag after the old tuple 'O' (0x4F), expected 'N'");
        assertEquals(8, e.offset());
    }

    @Test
    void delete_newTupleTag_failsExpectingKeyOrOldRow() {
        PgOutputFormatException e = decodeFails(message('D').i32(1).u8('N').tuple(0).buffer());

        assertMentions(e, "Delete message ('D')", "unexpected tuple tag 'N' (0x4E), expected 'K' or 'O'");
    }

    @Test
    void truncate_unknownOptionBits_failsNamingTheBits() {
        PgOutputFormatException e = decodeFails(message('T').i32(1).u8(5).i32(1).buffer());

        assertMentions(e, "Truncate message ('T')", "unknown option bits 0x5", "byte offset 5");
    }

    @Test
    void truncate_negativeRelationCount_fails() {
        PgOutputFormatException e = decodeFails(message('T').i32(-1).u8(0).buffer());

        assertMentions(e, "Truncate message ('T')", "negative relation count -1", "byte offset 1");
    }

    @Test
    void truncate_countBeyondTheOidsSent_failsAsTruncated() {
        PgOutputFormatException e = decodeFails(message('T').i32(Integer.MAX_VALUE).u8(0).i32(1).buffer());

        assertMentions(e, "truncated", "relation OID 1 of 2147483647");
    }

    @Test
    void message_unknownFlagBits_failsNamingTheBits() {
        PgOutputFormatException e = decodeFails(message('M').u8(3).i64(1).string("p").i32(0).buffer());

        assertMentions(e, "Logical decoding message ('M')", "unknown flag bits 0x3", "byte offset 1");
    }

    @Test
    void message_negativeContentLength_fails() {
        PgOutputFormatException e = decodeFails(message('M').u8(0).i64(1).string("p").i32(-1).buffer());

        assertMentions(e, "negative content length -1", "byte offset 12");
    }

    @Test
    void decode_errorInsideLargerArray_reportsOffsetFromTheTypeByte() {
        PgOutputFormatException e = decodeFails(message('D').i32(1).u8('Q').insideLargerArray(100, 50));

        assertEquals(5, e.offset());
        assertMentions(e, "Delete message ('D') at byte offset 5");
    }
}
