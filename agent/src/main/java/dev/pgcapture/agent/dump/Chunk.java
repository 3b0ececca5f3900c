package dev.pgcapture.agent.dump;

import dev.pgcapture.proto.ChunkEnd;
import dev.pgcapture.proto.PageRange;
import dev.pgcapture.proto.WholeTable;

/** What part of a table one dump request reads: a range of pages, or all of them. */
sealed interface Chunk {

    /** The {@code ChunkEnd} that follows this chunk's rows. */
    ChunkEnd end(long rows);

    /**
     * Pages {@code begin..end}, both included. Page numbers are unsigned 32-bit ({@code BlockNumber}),
     * held here in longs.
     */
    record Pages(long begin, long end) implements Chunk {

        static final long MAX_PAGE = 0xFFFF_FFFFL;

        public Pages {
            if (begin < 0 || begin > MAX_PAGE || end < 0 || end > MAX_PAGE) {
                throw new IllegalArgumentException("page numbers are 0.." + MAX_PAGE + ", got " + begin + ".." + end);
            }
        }

        /** From the wire's uint32 page numbers; rejects a range that ends before it begins. */
        static Pages fromWire(int pageBegin, int pageEnd) throws DumpStopped {
            long begin = Integer.toUnsignedLong(pageBegin);
            long end = Integer.toUnsignedLong(pageEnd);
            if (begin > end) {
                throw new DumpStopped(DumpStatus.invalid("page_begin " + begin + " is after page_end " + end));
            }
            return new Pages(begin, end);
        }

        @Override
        public ChunkEnd end(long rows) {
            return ChunkEnd.newBuilder()
                    .setPages(PageRange.newBuilder().setPageBegin((int) begin).setPageEnd((int) end))
                    .setRows(rows)
                    .build();
        }
    }

    /** Every page of the table. */
    record Whole() implements Chunk {

        @Override
        public ChunkEnd end(long rows) {
            return ChunkEnd.newBuilder().setWhole(WholeTable.getDefaultInstance()).setRows(rows).build();
        }
    }
}
