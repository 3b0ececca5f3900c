package dev.pgcapture.agent.seed;

import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.replica.ReplicaTables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a seed does to a replica, decided from what the replica holds before anything is copied.
 *
 * <ul>
 *   <li>No checkpoint: a <b>first seed</b>. Tables registered in {@code pgcapture.tables} without
 *       a checkpoint are what an interrupted seed left (nothing has been applied to them): they
 *       are dropped and the seed starts over, no {@code --force} needed. The checkpoint
 *       {@code (cp-1, 0xFFFFFFFF)} is written last, after every table has committed.</li>
 *   <li>A checkpoint and no {@code --tables}: refused; {@code --force} drops every registered
 *       table and the checkpoint in one transaction and seeds from scratch (a first seed, so a
 *       forced seed stopped half-way is started over by the next {@code seed}).</li>
 *   <li>A checkpoint and {@code --tables}: a <b>re-seed</b> of those tables; the checkpoint stays.
 *       A table marked {@code needs_seed} (rewritten on the source) or not registered yet needs no
 *       {@code --force}; one registered and not marked does.</li>
 * </ul>
 *
 * @param firstSeed write the seeded checkpoint at the end
 * @param dropRegistered drop every table registered on the replica before copying
 */
record SeedPlan(boolean firstSeed, boolean dropRegistered) {

    /**
     * @param tablesGiven whether {@code --tables} was given
     * @throws SeedRefusedException when the replica holds a checkpoint, no {@code --tables} and no {@code --force}
     */
    static SeedPlan decide(Optional<ReplicaPosition> position, Collection<ReplicaTables.Table> registered, boolean tablesGiven,
            boolean force) {
        if (position.isEmpty()) {
            return new SeedPlan(true, !registered.isEmpty());
        }
        if (tablesGiven) {
            return new SeedPlan(false, false);
        }
        if (force) {
            return new SeedPlan(true, true);
        }
        ReplicaPosition p = position.get();
        throw new SeedRefusedException("the replica already holds checkpoint " + p.checkpoint()
                + p.seededLsn().map(cp -> " (seeded at consistent point " + cp + ")").orElse("")
                + ", last written " + p.appliedAt() + ": seed refuses to overwrite a replica in use. --force drops the "
                + registered.size() + " table(s) pgcapture replicated there and seeds it again from scratch; to copy single "
                + "tables again, name them with --tables.");
    }

    /**
     * The re-seed rule for the named tables: registered tables not marked {@code needs_seed} need
     * {@code --force}.
     *
     * @param tables the source OIDs to seed, with their names for the message
     * @param registered the replica's tables by source OID
     * @throws SeedRefusedException naming every such table
     */
    void checkReseed(Map<Long, String> tables, Map<Long, ReplicaTables.Table> registered, boolean force) {
        if (firstSeed || force) {
            return;
        }
        List<String> seeded = new ArrayList<>();
        tables.forEach((oid, name) -> Optional.ofNullable(registered.get(oid))
                .filter(t -> !t.needsSeed())
                .ifPresent(t -> seeded.add(name + " (takes changes from " + t.applyFrom() + ")")));
        if (!seeded.isEmpty()) {
            throw new SeedRefusedException("--tables names table(s) the replica already holds and that are not marked for a new seed: "
                    + String.join(", ", seeded) + ". --force copies them again (dropping the replica's copy); tables marked "
                    + "needs_seed (rewritten on the source) need no --force.");
        }
    }
}
