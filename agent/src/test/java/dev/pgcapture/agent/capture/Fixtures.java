package dev.pgcapture.agent.capture;

import com.google.protobuf.ByteString;
import dev.pgcapture.agent.pgoutput.ColumnValue;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Begin;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Commit;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation.Column;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.Field;
import java.util.List;

/** Decoded messages and expected fields shared by the capture tests. */
final class Fixtures {

    static final long INT4 = 23;
    static final long TEXT = 25;
    static final long BYTEA = 17;

    static final long USERS_OID = 16_400;
    static final long ORDERS_OID = 16_410;

    /** {@code public.users(id int4 key, name text, bio text)}. */
    static final Relation USERS = new Relation(USERS_OID, "public", "users", 'd', List.of(
            new Column(Column.FLAG_KEY, "id", INT4, -1),
            new Column(0, "name", TEXT, -1),
            new Column(0, "bio", TEXT, -1)));

    /** {@code sales.orders(id int4 key, note text)}. */
    static final Relation ORDERS = new Relation(ORDERS_OID, "sales", "orders", 'd', List.of(
            new Column(Column.FLAG_KEY, "id", INT4, -1),
            new Column(0, "note", TEXT, -1)));

    private Fixtures() {
    }

    static Begin begin(long finalLsn) {
        return new Begin(new Lsn(finalLsn), 760_000_000_000_000L + finalLsn, 700 + (finalLsn & 0xFFFF));
    }

    static Commit commit(long commitLsn) {
        return new Commit(0, new Lsn(commitLsn), new Lsn(commitLsn + 0x28), 760_000_000_000_000L + commitLsn);
    }

    static ColumnValue.Binary binary(int... bytes) {
        return new ColumnValue.Binary(ByteString.copyFrom(toBytes(bytes)));
    }

    static ColumnValue.Binary int4(int value) {
        return binary(value >>> 24, (value >>> 16) & 0xFF, (value >>> 8) & 0xFF, value & 0xFF);
    }

    static ColumnValue.Text text(String value) {
        return new ColumnValue.Text(ByteString.copyFromUtf8(value));
    }

    static Field binaryField(String name, long oid, int... bytes) {
        return Field.newBuilder().setName(name).setOid((int) oid).setBinary(ByteString.copyFrom(toBytes(bytes))).build();
    }

    static Field int4Field(String name, int value) {
        return binaryField(name, INT4, value >>> 24, (value >>> 16) & 0xFF, (value >>> 8) & 0xFF, value & 0xFF);
    }

    static Field textField(String name, String value) {
        return Field.newBuilder().setName(name).setOid((int) TEXT).setText(value).build();
    }

    static Field nullField(String name, long oid) {
        return Field.newBuilder().setName(name).setOid((int) oid).build();
    }

    private static byte[] toBytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
