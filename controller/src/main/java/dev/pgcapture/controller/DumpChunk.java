package dev.pgcapture.controller;

import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.DumpInfoResponse;
import java.util.Objects;

/**
 * Pages {@code pageBegin..pageEnd} (both included) of a table on a URI's replica: what the
 * controller hands out. Page numbers are unsigned 32-bit, held in a {@code long};
 * {@link #LAST_PAGE} as the end means "up to the table's last page, however many there are".
 */
record DumpChunk(TableName table, long pageBegin, long pageEnd) {

    /** The largest page number PostgreSQL can have (2^32 - 1): an open end. */
    static final long LAST_PAGE = 0xFFFF_FFFFL;

    DumpChunk {
        Objects.requireNonNull(table, "table");
        if (pageBegin < 0 || pageBegin > LAST_PAGE || pageEnd < 0 || pageEnd > LAST_PAGE) {
            throw new IllegalArgumentException("page numbers are unsigned 32-bit: " + pageBegin + ".." + pageEnd);
        }
        if (pageBegin > pageEnd) {
            throw new IllegalArgumentException("page_begin " + pageBegin + " is after page_end " + pageEnd);
        }
    }

    /** Whether the chunk reaches to the table's last page. */
    boolean openEnded() {
        return pageEnd == LAST_PAGE;
    }

    /** The chunk as the wire protocol carries it. */
    DumpInfoResponse toProto(boolean lastOfTable) {
        return DumpInfoResponse.newBuilder()
                .setSchema(table.schema())
                .setTable(table.table())
                .setPageBegin((int) pageBegin)
                .setPageEnd((int) pageEnd)
                .setLastOfTable(lastOfTable)
                .build();
    }

    @Override
    public String toString() {
        return table + " pages " + pageBegin + ".." + (openEnded() ? "end" : Long.toString(pageEnd));
    }
}
