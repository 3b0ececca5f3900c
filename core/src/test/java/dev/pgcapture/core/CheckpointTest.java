package dev.pgcapture.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    @Test
    void order_isLsnThenSeq_bothUnsigned() {
        Checkpoint a = Checkpoint.of(new Lsn(10), 0);
        Checkpoint b = Checkpoint.of(new Lsn(10), 1);
        Checkpoint c = Checkpoint.of(new Lsn(10), -1); // seq 0xFFFFFFFF
        Checkpoint d = Checkpoint.of(new Lsn(11), 0);
        Checkpoint e = Checkpoint.of(new Lsn(-1), 0); // LSN FFFFFFFF/FFFFFFFF
        List<Checkpoint> sorted = new ArrayList<>(List.of(e, d, c, b, a));
        sorted.sort(null);
        assertEquals(List.of(a, b, c, d, e), sorted);
        assertTrue(d.isAfter(c));
    }

    @Test
    void order_ignoresData_equalsDoesNot() {
        Checkpoint plain = Checkpoint.of(new Lsn(5), 3);
        Checkpoint withData = plain.withData(ByteString.copyFromUtf8("msg-id"));
        assertEquals(0, plain.compareTo(withData));
        assertNotEquals(plain, withData);
    }

    @Test
    void proto_roundTripsEveryField() throws Exception {
        Checkpoint original = new Checkpoint(Lsn.parse("FFFFFFFF/1"), -2, ByteString.copyFrom(new byte[] {1, 2, 3}));
        dev.pgcapture.proto.Checkpoint proto = original.toProto();
        assertEquals(0xFFFF_FFFF_0000_0001L, proto.getLsn());
        assertEquals(-2, proto.getSeq());
        assertEquals(original, Checkpoint.fromProto(proto));
        assertEquals(original, Checkpoint.fromProto(dev.pgcapture.proto.Checkpoint.parseFrom(proto.toByteArray())));
    }

    @Test
    void toString_isThePulsarKeyForm() {
        assertEquals("16/B374D848|1f", Checkpoint.of(Lsn.parse("16/B374D848"), 31).toString());
    }

    @Test
    void constructor_rejectsNulls() {
        assertThrows(NullPointerException.class, () -> new Checkpoint(null, 0, ByteString.EMPTY));
        assertThrows(NullPointerException.class, () -> new Checkpoint(Lsn.ZERO, 0, null));
    }
}
