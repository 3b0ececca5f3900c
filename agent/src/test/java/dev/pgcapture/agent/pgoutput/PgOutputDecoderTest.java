package dev.pgcapture.agent.pgoutput;

import static dev.pgcapture.agent.pgoutput.MessageWriter.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Begin;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Commit;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.LogicalMessage;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Origin;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation.Column;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Type;
import dev.pgcapture.core.Lsn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transaction, schema and logical-decoding messages, and how the decoder treats its buffer. */
class PgOutputDecoderTest {

    private static final long COMMIT_TIME = 803_000_000_123_456L;

    @Test
    void begin_decodesFinalLsnCommitTimeAndXid() {
        ByteBuffer bytes = message('B').i64(Lsn.parse("16/B374D848").value()).i64(COMMIT_TIME).i32(771).buffer();

        assertEquals(new Begin(Lsn.parse("16/B374D848"), COMMIT_TIME, 771), PgOutputDecoder.decode(bytes));
    }

    @Test
    void begin_topBitsSet_lsnAndXidStayUnsigned() {
        ByteBuffer bytes = message('B').i64(-2L).i64(-1L).i32(0xFFFF_FFF0).buffer();

        Begin begin = (Begin) PgOutputDecoder.decode(bytes);

        assertEquals("FFFFFFFF/FFFFFFFE", begin.finalLsn().toString());
        assertEquals(4_294_967_280L, begin.xid());
        assertEquals(-1L, begin.commitTimeMicros(), "the raw TimestampTz is kept as sent");
    }

    @Test
    void commit_decodesFlagsLsnsAndCommitTime() {
        ByteBuffer bytes = message('C').u8(0).i64(0x1_0000_0010L).i64(0x1_0000_0040L).i64(COMMIT_TIME).buffer();

        assertEquals(new Commit(0, new Lsn(0x1_0000_0010L), new Lsn(0x1_0000_0040L), COMMIT_TIME),
                PgOutputDecoder.decode(bytes));
    }

    @Test
    void commit_lsnWithTopBitSet_comparesAfterSmallerLsn() {
        ByteBuffer bytes = message('C').u8(0).i64(0x8000_0000_0000_0000L).i64(-1L).i64(0).buffer();

        Commit commit = (Commit) PgOutputDecoder.decode(bytes);

        assertEquals("80000000/0", commit.commitLsn().toString());
        assertTrue(commit.endLsn().isAfter(commit.commitLsn()));
    }

    @Test
    void origin_decodesCommitLsnAndName() {
        ByteBuffer bytes = message('O').i64(0x2A).string("pg_16390").buffer();

        assertEquals(new Origin(new Lsn(0x2A), "pg_16390"), PgOutputDecoder.decode(bytes));
    }

    @Test
    void relation_decodesNamesIdentityAndColumns() {
        ByteBuffer bytes = message('R').i32(16_385).string("public").string("accounts").u8('d').i16(3)
                .u8(1).string("id").i32(20).i32(-1)
                .u8(0).string("name").i32(1043).i32(68)
                .u8(0).string("balance").i32(1700).i32(0x000A_0006)
                .buffer();

        Relation expected = new Relation(16_385, "public", "accounts", 'd', List.of(
                new Column(1, "id", 20, -1),
                new Column(0, "name", 1043, 68),
                new Column(0, "balance", 1700, 0x000A_0006)));
        assertEquals(expected, PgOutputDecoder.decode(bytes));
    }

    @Test
    void relation_keyFlag_marksOnlyKeyColumns() {
        ByteBuffer bytes = message('R').i32(1).string("s").string("t").u8('i').i16(2)
                .u8(0).string("a").i32(23).i32(-1)
                .u8(1).string("b").i32(23).i32(-1)
                .buffer();

        List<Column> columns = ((Relation) PgOutputDecoder.decode(bytes)).columns();

        assertFalse(columns.get(0).partOfKey());
        assertTrue(columns.get(1).partOfKey());
    }

    @Test
    void relation_utf8NamesAndPgCatalogNamespace_decodeExactly() {
        ByteBuffer bytes = message('R').i32(2).string("").string("größe_日本").u8('f').i16(1)
                .u8(0).string("naïve 🐘").i32(25).i32(-1)
                .buffer();

        Relation relation = (Relation) PgOutputDecoder.decode(bytes);

        assertEquals("", relation.namespace(), "pg_catalog is sent as an empty namespace");
        assertEquals("größe_日本", relation.name());
        assertEquals('f', relation.replicaIdentity());
        assertEquals("naïve 🐘", relation.columns().get(0).name());
    }

    @Test
    void relation_oidsWithTopBitSet_stayPositive() {
        ByteBuffer bytes = message('R').i32(0xFFFF_FFFE).string("s").string("t").u8('n').i16(1)
                .u8(0).string("c").i32(0x8000_0001).i32(-1)
                .buffer();

        Relation relation = (Relation) PgOutputDecoder.decode(bytes);

        assertEquals(4_294_967_294L, relation.relationOid());
        assertEquals(2_147_483_649L, relation.columns().get(0).typeOid());
    }

    @Test
    void relation_withoutColumns_decodesEmptyList() {
        ByteBuffer bytes = message('R').i32(7).string("s").string("empty").u8('d').i16(0).buffer();

        assertEquals(List.of(), ((Relation) PgOutputDecoder.decode(bytes)).columns());
    }

    @Test
    void type_decodesOidNamespaceAndName() {
        ByteBuffer bytes = message('Y').i32(0x9000_0000).string("public").string("mood").buffer();

        assertEquals(new Type(0x9000_0000L, "public", "mood"), PgOutputDecoder.decode(bytes));
    }

    @Test
    void message_transactional_decodesPrefixAndContent() {
        byte[] content = {0, 1, 2, (byte) 0xFF};
        ByteBuffer bytes = message('M').u8(1).i64(0x33).string("audit").counted(content).buffer();

        LogicalMessage decoded = (LogicalMessage) PgOutputDecoder.decode(bytes);

        assertEquals(new LogicalMessage(true, new Lsn(0x33), "audit", ByteString.copyFrom(content)), decoded);
        assertEquals(ByteString.copyFrom(content), decoded.content());
    }

    @Test
    void message_nonTransactionalWithEmptyContent_decodes() {
        ByteBuffer bytes = message('M').u8(0).i64(-1L).string("ping").i32(0).buffer();

        assertEquals(new LogicalMessage(false, new Lsn(-1L), "ping", ByteString.EMPTY), PgOutputDecoder.decode(bytes));
    }

    @Test
    void message_contentFromDirectBuffer_isCopiedOut() {
        byte[] bytes = message('M').u8(0).i64(7).string("p").counted(new byte[] {5, 6, 7}).bytes();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();

        LogicalMessage decoded = (LogicalMessage) PgOutputDecoder.decode(direct);
        direct.put(direct.limit() - 1, (byte) 0);

        assertEquals(new LogicalMessage(false, new Lsn(7), "p", ByteString.copyFrom(new byte[] {5, 6, 7})), decoded);
    }

    @Test
    void decode_bufferInsideLargerArray_readsOnlyPositionToLimit() {
        MessageWriter origin = message('O').i64(5).string("east");

        ByteBuffer buffer = origin.insideLargerArray(11, 13);

        assertEquals(new Origin(new Lsn(5), "east"), PgOutputDecoder.decode(buffer));
    }

    @Test
    void decode_sliceWithNonZeroArrayOffset_readsTheSlice() {
        ByteBuffer slice = message('O').i64(5).string("west").sliceOfLargerArray(9, 4);

        assertEquals(9, slice.arrayOffset());
        assertEquals(new Origin(new Lsn(5), "west"), PgOutputDecoder.decode(slice));
    }

    @Test
    void decode_directBuffer_decodes() {
        byte[] bytes = message('O').i64(5).string("direct").bytes();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();

        assertEquals(new Origin(new Lsn(5), "direct"), PgOutputDecoder.decode(direct));
    }

    @Test
    void decode_leavesCallersPositionLimitAndOrderUntouched() {
        ByteBuffer buffer = message('O').i64(5).string("o").insideLargerArray(3, 2).order(ByteOrder.LITTLE_ENDIAN);
        int position = buffer.position();
        int limit = buffer.limit();

        PgOutputDecoder.decode(buffer);

        assertEquals(position, buffer.position());
        assertEquals(limit, buffer.limit());
        assertEquals(ByteOrder.LITTLE_ENDIAN, buffer.order());
    }

    @Test
    void decode_littleEndianBuffer_stillReadsBigEndian() {
        ByteBuffer buffer = message('B').i64(0x0102).i64(0).i32(0x0304).buffer().order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(new Begin(new Lsn(0x0102), 0, 0x0304), PgOutputDecoder.decode(buffer));
    }

    @Test
    void decode_readOnlyBuffer_decodes() {
        ByteBuffer buffer = message('Y').i32(1).string("n").string("t").buffer().asReadOnlyBuffer();

        assertEquals(new Type(1, "n", "t"), PgOutputDecoder.decode(buffer));
    }
}
