package dev.pgcapture.agent.seed;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import java.util.List;

/**
 * What a seed did.
 *
 * @param consistentPoint {@code cp}: the replica holds every source transaction that committed
 *     before it; the topic supplies those at or after it
 * @param firstSeed whether the replica's checkpoint was written ({@code (cp-1, 0xFFFFFFFF)}); a
 *     re-seed of single tables leaves it alone
 * @param tables each seeded table
 * @param progress the final counters
 */
public record SeedResult(Lsn consistentPoint, boolean firstSeed, List<SeededTable> tables, SeedProgress.Snapshot progress) {

    public SeedResult {
        tables = List.copyOf(tables);
    }

    /**
     * One seeded table.
     *
     * @param applyFrom the consistent point of the snapshot the table was copied in: {@code cp},
     *     or a later one when the table was truncated or rewritten during the seed and copied again
     * @param attempts how many snapshots it took (1 unless it changed under the seed)
     * @param textFormat whether it was copied in text form
     */
    public record SeededTable(long sourceOid, TableName name, Lsn applyFrom, long rows, int attempts, boolean textFormat) {
    }

    /** The tables copied in a later snapshot than {@code cp}. */
    public List<SeededTable> retried() {
        return tables.stream().filter(t -> t.attempts() > 1).toList();
    }
}
