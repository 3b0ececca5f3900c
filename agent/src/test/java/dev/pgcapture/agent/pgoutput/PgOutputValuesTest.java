package dev.pgcapture.agent.pgoutput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.agent.pgoutput.ColumnValue.Binary;
import dev.pgcapture.agent.pgoutput.ColumnValue.Text;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Begin;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Commit;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Insert;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.LogicalMessage;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Truncate;
import dev.pgcapture.core.Lsn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The message and column value types are immutable, compare by content and reject bad values. */
class PgOutputValuesTest {

    private static void assertRejected(Executable construction, String expectedMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        assertTrue(e.getMessage().contains(expectedMessage), e.getMessage());
    }

    /** A fresh {@link ByteString} of the given unsigned byte values. */
    private static ByteString bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return ByteString.copyFrom(bytes);
    }

    @Test
    void textAndBinary_equalByContentButNotToEachOther() {
        assertEquals(new Text(bytes(1, 2)), new Text(bytes(1, 2)));
        assertEquals(new Text(bytes(1, 2)).hashCode(), new Text(bytes(1, 2)).hashCode());
        assertEquals(new Binary(bytes(1, 2)), new Binary(bytes(1, 2)));
        assertEquals(new Binary(bytes(1, 2)).hashCode(), new Binary(bytes(1, 2)).hashCode());
        assertNotEquals(new Text(bytes(1, 2)), new Binary(bytes(1, 2)));
        assertNotEquals(new Binary(bytes(1, 2)), new Binary(bytes(1, 3)));
    }

    @Test
    void toString_showsTextAsTextAndBinaryAsHex() {
        assertEquals("Text[héllo]", new Text(ByteString.copyFromUtf8("héllo")).toString());
        assertEquals("Binary[00ff10]", new Binary(bytes(0, 0xFF, 0x10)).toString());
    }

    @Test
    void nullAndUnchangedToast_areDistinctValues() {
        assertEquals(ColumnValue.NULL, new ColumnValue.Null());
        assertNotEquals(ColumnValue.NULL, ColumnValue.UNCHANGED_TOAST);
    }

    @Test
    void logicalMessage_comparesByValue() {
        LogicalMessage message = new LogicalMessage(true, new Lsn(1), "p", bytes(9, 8));

        assertEquals(new LogicalMessage(true, new Lsn(1), "p", bytes(9, 8)), message);
        assertEquals(new LogicalMessage(true, new Lsn(1), "p", bytes(9, 8)).hashCode(), message.hashCode());
        assertNotEquals(new LogicalMessage(false, new Lsn(1), "p", bytes(9, 8)), message);
        assertNotEquals(new LogicalMessage(true, new Lsn(1), "p", bytes(9, 7)), message);
        assertEquals("LogicalMessage[transactional=true, lsn=0/1, prefix=p, content=0908]", message.toString());
    }

    @Test
    void tuples_areCopiedAndUnmodifiable() {
        List<ColumnValue> columns = new ArrayList<>(List.of(ColumnValue.NULL));
        Insert insert = new Insert(1, columns);
        columns.add(ColumnValue.UNCHANGED_TOAST);

        assertEquals(List.of(ColumnValue.NULL), insert.newTuple());
        assertThrows(UnsupportedOperationException.class, () -> insert.newTuple().add(ColumnValue.NULL));
    }

    @Test
    void oids_outsideUnsigned32Range_areRejected() {
        assertRejected(() -> new Insert(-1, List.of()), "relationOid must be an unsigned 32-bit value, was -1");
        assertRejected(() -> new Insert(1L << 32, List.of()), "was 4294967296");
        assertRejected(() -> new Relation.Column(0, "c", -5, -1), "typeOid must be an unsigned 32-bit value");
        assertRejected(() -> new Truncate(false, false, List.of(1L, -1L)), "relationOid");
        assertRejected(() -> new Begin(Lsn.ZERO, 0, 1L << 32), "xid must be an unsigned 32-bit value");
    }

    @Test
    void flags_outsideUnsignedByteRange_areRejected() {
        assertRejected(() -> new Commit(256, Lsn.ZERO, Lsn.ZERO, 0), "flags must be an unsigned byte, was 256");
        assertRejected(() -> new Relation.Column(-1, "c", 23, -1), "flags must be an unsigned byte, was -1");
    }

    @Test
    void maximumUnsignedValues_areAccepted() {
        assertEquals(0xFFFF_FFFFL, new Insert(0xFFFF_FFFFL, List.of()).relationOid());
        assertEquals(255, new Commit(255, Lsn.ZERO, Lsn.ZERO, 0).flags());
    }
}
