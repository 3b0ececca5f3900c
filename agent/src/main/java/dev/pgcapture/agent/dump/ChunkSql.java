package dev.pgcapture.agent.dump;

import dev.pgcapture.core.TableName;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statement that reads one chunk: {@code COPY (SELECT …) TO STDOUT (FORMAT binary)} over a
 * TID range scan. Identifiers are quoted; the only other values spliced in are page numbers,
 * which COPY cannot take as parameters.
 */
final class ChunkSql {

    private ChunkSql() {
    }

    /**
     * @param table the table's name as the replica's catalog spells it
     * @param columns every column, in attribute order
     */
    static String copy(TableName table, List<Column> columns, Chunk chunk) {
        String select = columns.stream()
                .map(c -> TableName.quoteIdentifier(c.name()) + (c.binary() ? "" : "::text"))
                .collect(Collectors.joining(", "));
        return "COPY (SELECT " + select + " FROM ONLY " + table.quoted() + where(chunk) + ") TO STDOUT (FORMAT binary)";
    }

    /** The TID range condition of {@code chunk}, with a leading space; empty for the whole table. */
    static String where(Chunk chunk) {
        return switch (chunk) {
            case Chunk.Whole whole -> "";
            case Chunk.Pages pages -> " WHERE ctid >= '(" + pages.begin() + ",0)'::tid AND ctid <= '(" + pages.end() + ",65535)'::tid";
        };
    }
}
