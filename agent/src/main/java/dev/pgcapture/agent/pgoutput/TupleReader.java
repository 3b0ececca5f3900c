package dev.pgcapture.agent.pgoutput;

import static dev.pgcapture.agent.pgoutput.MessageReader.describeByte;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code pgoutput} TupleData: an Int16 column count, then one kind byte and value per column. */
final class TupleReader {

    private TupleReader() {
    }

    /** Reads one tuple; {@code what} names it in errors, e.g. {@code "new tuple"}. */
    static List<ColumnValue> read(MessageReader in, String what) {
        int count = in.readUnsigned16(what + " column count");
        List<ColumnValue> columns = new ArrayList<>(Math.min(count, in.remaining()));
        for (int i = 0; i < count; i++) {
            columns.add(readColumn(in, what + " column " + i));
        }
        return columns;
    }

    private static ColumnValue readColumn(MessageReader in, String column) {
        int kindOffset = in.offset();
        int kind = in.readUnsigned8(column + " kind");
        return switch (kind) {
            case 'n' -> ColumnValue.NULL;
            case 'u' -> ColumnValue.UNCHANGED_TOAST;
            case 't' -> new ColumnValue.Text(in.readCountedBytes(column + " text value"));
            case 'b' -> new ColumnValue.Binary(in.readCountedBytes(column + " binary value"));
            default -> throw in.failAt(kindOffset, "unknown kind " + describeByte(kind) + " of " + column
                    + ", expected 'n', 'u', 't' or 'b'");
        };
    }
}
