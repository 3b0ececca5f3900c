package dev.pgcapture.agent.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.core.TableName;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkSqlTest {

    private static final List<Column> COLUMNS = List.of(
            new Column("id", 23, 23, true),
            new Column("Odd \"name\"", 1033, 1033, false));

    @Test
    void pageRange_isATidRangeOverWholePages() {
        assertEquals(" WHERE ctid >= '(5,0)'::tid AND ctid <= '(9,65535)'::tid", ChunkSql.where(new Chunk.Pages(5, 9)));
    }

    @Test
    void pageNumbersAboveIntMax_stayUnsigned() {
        Chunk.Pages pages = assertDoesNotStop(-2, -1); // uint32 4294967294..4294967295 on the wire
        assertEquals(" WHERE ctid >= '(4294967294,0)'::tid AND ctid <= '(4294967295,65535)'::tid", ChunkSql.where(pages));
        assertEquals(4294967295L, pages.end());
    }

    @Test
    void rangeEndingBeforeItBegins_isInvalidArgument() {
        DumpStopped stopped = assertThrows(DumpStopped.class, () -> Chunk.Pages.fromWire(10, 9));
        assertEquals(Status.Code.INVALID_ARGUMENT, stopped.status().getCode());
        assertEquals("page_begin 10 is after page_end 9", stopped.status().getDescription());
    }

    @Test
    void wholeTable_hasNoCondition() {
        assertEquals("", ChunkSql.where(new Chunk.Whole()));
    }

    @Test
    void copy_quotesEveryIdentifier_andReadsTypesWithoutSendAsText() {
        assertEquals("COPY (SELECT id, \"Odd \"\"name\"\"\"::text FROM ONLY \"Public\".\"T\"\"1\""
                + " WHERE ctid >= '(0,0)'::tid AND ctid <= '(4,65535)'::tid) TO STDOUT (FORMAT binary)",
                ChunkSql.copy(new TableName("Public", "T\"1"), COLUMNS, new Chunk.Pages(0, 4)));
    }

    @Test
    void copy_ofAHostileName_keepsItOneIdentifier() {
        assertEquals("COPY (SELECT id FROM ONLY public.\"x\"\"; DROP TABLE y; --\") TO STDOUT (FORMAT binary)",
                ChunkSql.copy(new TableName("public", "x\"; DROP TABLE y; --"), COLUMNS.subList(0, 1), new Chunk.Whole()));
    }

    private static Chunk.Pages assertDoesNotStop(int begin, int end) {
        try {
            return Chunk.Pages.fromWire(begin, end);
        } catch (DumpStopped e) {
            throw new AssertionError(e.status().getDescription());
        }
    }
}
