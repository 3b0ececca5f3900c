package dev.pgcapture.controller;

import dev.pgcapture.core.TableName;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a table of a known size into page-range chunks: {@code pagesPerChunk} pages each, the
 * last one open-ended ({@link DumpChunk#LAST_PAGE}) so that pages the table gains after
 * planning are dumped too. An empty table is one open-ended chunk.
 */
final class ChunkPlanner {

    private ChunkPlanner() {
    }

    /**
     * @param pages the table's size in pages (pg_relation_size / block_size)
     * @param pagesPerChunk pages per chunk, at least 1
     */
    static List<DumpChunk> plan(TableName table, long pages, long pagesPerChunk) {
        if (pagesPerChunk < 1) {
            throw new IllegalArgumentException("pages per chunk must be at least 1, was " + pagesPerChunk);
        }
        if (pages < 0) {
            throw new IllegalArgumentException("a table cannot have " + pages + " pages");
        }
        List<DumpChunk> chunks = new ArrayList<>();
        long begin = 0;
        while (pages - begin > pagesPerChunk) {
            chunks.add(new DumpChunk(table, begin, begin + pagesPerChunk - 1));
            begin += pagesPerChunk;
        }
        chunks.add(new DumpChunk(table, begin, DumpChunk.LAST_PAGE));
        return chunks;
    }
}
