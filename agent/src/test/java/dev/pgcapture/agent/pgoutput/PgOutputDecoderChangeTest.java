package dev.pgcapture.agent.pgoutput;

import static dev.pgcapture.agent.pgoutput.MessageWriter.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.pgcapture.agent.pgoutput.ColumnValue.Binary;
import dev.pgcapture.agent.pgoutput.ColumnValue.Text;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Delete;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Insert;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Truncate;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Update;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Row changes (INSERT, UPDATE, DELETE, TRUNCATE) and the tuple data they carry. */
class PgOutputDecoderChangeTest {

    private static final long TABLE = 16_400;

    private static Text text(String value) {
        return new Text(ByteString.copyFromUtf8(value));
    }

    @Test
    void insert_textValues_decodesNewTuple() {
        ByteBuffer bytes = message('I').i32((int) TABLE).u8('N').tuple(2).text("1").text("alice").buffer();

        assertEquals(new Insert(TABLE, List.of(text("1"), text("alice"))), PgOutputDecoder.decode(bytes));
    }

    @Test
    void insert_everyTupleKind_decodesEachColumn() {
        ByteBuffer bytes = message('I').i32((int) TABLE).u8('N').tuple(4)
                .nullValue().unchangedToast().text("x").binary((byte) 0, (byte) 0x80, (byte) 0xFF)
                .buffer();

        Insert insert = (Insert) PgOutputDecoder.decode(bytes);

        assertEquals(List.of(ColumnValue.NULL, ColumnValue.UNCHANGED_TOAST, text("x"),
                new Binary(ByteString.copyFrom(new byte[] {0, (byte) 0x80, (byte) 0xFF}))), insert.newTuple());
    }

    @Test
    void insert_emptyAndUtf8TextValues_keepExactBytes() {
        ByteBuffer bytes = message('I').i32((int) TABLE).u8('N').tuple(2).text("").text("Grüße, 世界 🐘").buffer();

        List<ColumnValue> tuple = ((Insert) PgOutputDecoder.decode(bytes)).newTuple();

        assertEquals(ByteString.EMPTY, ((Text) tuple.get(0)).bytes());
        assertEquals("Grüße, 世界 🐘", ((Text) tuple.get(1)).text());
    }

    @Test
    void insert_textValueWithNulByte_isCountedNotTerminated() {
        byte[] value = {'a', 0, 'b'};
        ByteBuffer bytes = message('I').i32((int) TABLE).u8('N').tuple(1).u8('t').counted(value).buffer();

        Text decoded = (Text) ((Insert) PgOutputDecoder.decode(bytes)).newTuple().get(0);

        assertEquals(ByteString.copyFrom(value), decoded.bytes());
    }

    @Test
    void insert_values_doNotShareTheCallersBuffer() {
        byte[] array = message('I').i32((int) TABLE).u8('N').tuple(2).text("ab").binary((byte) 1, (byte) 2).bytes();

        Insert insert = (Insert) PgOutputDecoder.decode(ByteBuffer.wrap(array));
        Arrays.fill(array, (byte) 0);

        assertEquals(List.of(text("ab"), new Binary(ByteString.copyFrom(new byte[] {1, 2}))), insert.newTuple());
    }

    @Test
    void insert_noColumns_decodesEmptyTuple() {
        ByteBuffer bytes = message('I').i32((int) TABLE).u8('N').tuple(0).buffer();

        assertEquals(new Insert(TABLE, List.of()), PgOutputDecoder.decode(bytes));
    }

    @Test
    void insert_relationOidWithTopBitSet_staysPositive() {
        ByteBuffer bytes = message('I').i32(0xFFFF_FFFF).u8('N').tuple(1).nullValue().buffer();

        assertEquals(4_294_967_295L, ((Insert) PgOutputDecoder.decode(bytes)).relationOid());
    }

    @Test
    void update_withoutOldTuple_decodesNewTupleOnly() {
        ByteBuffer bytes = message('U').i32((int) TABLE).u8('N').tuple(2).text("1").unchangedToast().buffer();

        assertEquals(new Update(TABLE, Optional.empty(), List.of(text("1"), ColumnValue.UNCHANGED_TOAST)),
                PgOutputDecoder.decode(bytes));
    }

    @Test
    void update_withKey_decodesKeyTupleAndNewTuple() {
        ByteBuffer bytes = message('U').i32((int) TABLE)
                .u8('K').tuple(2).text("1").nullValue()
                .u8('N').tuple(2).text("2").text("bob")
                .buffer();

        Update update = (Update) PgOutputDecoder.decode(bytes);

        assertEquals(Optional.of(new OldTuple(OldTuple.Kind.KEY, List.of(text("1"), ColumnValue.NULL))),
                update.oldTuple());
        assertEquals(List.of(text("2"), text("bob")), update.newTuple());
    }

    @Test
    void update_withOldRow_decodesBothTuples() {
        ByteBuffer bytes = message('U').i32((int) TABLE)
                .u8('O').tuple(2).text("1").text("alice")
                .u8('N').tuple(2).text("1").text("bob")
                .buffer();

        Update expected = new Update(TABLE,
                Optional.of(new OldTuple(OldTuple.Kind.FULL_ROW, List.of(text("1"), text("alice")))),
                List.of(text("1"), text("bob")));
        assertEquals(expected, PgOutputDecoder.decode(bytes));
    }

    @Test
    void delete_withKey_decodesKeyTuple() {
        ByteBuffer bytes = message('D').i32((int) TABLE).u8('K').tuple(2).text("1").nullValue().buffer();

        assertEquals(new Delete(TABLE, new OldTuple(OldTuple.Kind.KEY, List.of(text("1"), ColumnValue.NULL))),
                PgOutputDecoder.decode(bytes));
    }

    @Test
    void delete_withOldRow_decodesFullRow() {
        ByteBuffer bytes = message('D').i32((int) TABLE).u8('O').tuple(2).text("1").binary((byte) 7).buffer();

        assertEquals(new Delete(TABLE, new OldTuple(OldTuple.Kind.FULL_ROW, List.of(text("1"), new Binary(ByteString.copyFrom(new byte[] {7}))))),
                PgOutputDecoder.decode(bytes));
    }

    @ParameterizedTest(name = "options {0}: cascade={1}, restartIdentity={2}")
    @CsvSource({"0, false, false", "1, true, false", "2, false, true", "3, true, true"})
    void truncate_optionBits_decodeAsTwoBooleans(int options, boolean cascade, boolean restartIdentity) {
        ByteBuffer bytes = message('T').i32(1).u8(options).i32((int) TABLE).buffer();

        assertEquals(new Truncate(cascade, restartIdentity, List.of(TABLE)), PgOutputDecoder.decode(bytes));
    }

    @Test
    void truncate_severalRelations_keepsTheirOrderAndUnsignedOids() {
        ByteBuffer bytes = message('T').i32(3).u8(0).i32(16_401).i32(0x8000_0000).i32(16_399).buffer();

        assertEquals(List.of(16_401L, 2_147_483_648L, 16_399L), ((Truncate) PgOutputDecoder.decode(bytes)).relationOids());
    }
}
