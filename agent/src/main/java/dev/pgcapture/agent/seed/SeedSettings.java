package dev.pgcapture.agent.seed;

import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code pgcapture seed} is told.
 *
 * @param tables the tables to seed; empty seeds every table the publication publishes
 * @param force overwrite a replica that holds a checkpoint, or re-seed tables not marked {@code needs_seed}
 * @param slotWait how long creating the temporary slot may wait for transactions running on the source
 * @param publication the publication pg2pulsar streams; its tables are the ones seeded by default
 * @param jobs how many tables are copied at once, each over its own pair of connections
 * @param progressInterval how often progress is reported while copying
 */
public record SeedSettings(PostgresUrl source, PostgresUrl replica, List<TableName> tables, boolean force, Duration slotWait,
                           String publication, int jobs, Duration progressInterval) {

    public static final Duration DEFAULT_SLOT_WAIT = Duration.ofSeconds(60);
    public static final int DEFAULT_JOBS = 2;
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);

    public SeedSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(replica, "replica");
        tables = List.copyOf(tables);
        Objects.requireNonNull(slotWait, "slotWait");
        Objects.requireNonNull(publication, "publication");
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (slotWait.isNegative() || slotWait.isZero()) {
            throw new IllegalArgumentException("slot wait must be positive, was " + slotWait);
        }
        if (jobs < 1 || jobs > 64) {
            throw new IllegalArgumentException("jobs must be between 1 and 64, was " + jobs);
        }
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("progress interval must be positive, was " + progressInterval);
        }
        CaptureSettings.checkPublication(publication);
        if (tables.stream().distinct().count() != tables.size()) {
            throw new IllegalArgumentException("tables names a table twice: " + tables);
        }
    }

    /** Every published table of publication {@code pgcapture}, no force, the default waits, 2 jobs. */
    public static SeedSettings of(PostgresUrl source, PostgresUrl replica) {
        return new SeedSettings(source, replica, List.of(), false, DEFAULT_SLOT_WAIT, CaptureSettings.DEFAULT_NAME, DEFAULT_JOBS,
                DEFAULT_PROGRESS_INTERVAL);
    }

    public SeedSettings withTables(List<TableName> tables) {
        return new SeedSettings(source, replica, tables, force, slotWait, publication, jobs, progressInterval);
    }

    public SeedSettings withForce(boolean force) {
        return new SeedSettings(source, replica, tables, force, slotWait, publication, jobs, progressInterval);
    }

    public SeedSettings withSlotWait(Duration slotWait) {
        return new SeedSettings(source, replica, tables, force, slotWait, publication, jobs, progressInterval);
    }

    public SeedSettings withPublication(String publication) {
        return new SeedSettings(source, replica, tables, force, slotWait, publication, jobs, progressInterval);
    }

    public SeedSettings withJobs(int jobs) {
        return new SeedSettings(source, replica, tables, force, slotWait, publication, jobs, progressInterval);
    }

    public SeedSettings withProgressInterval(Duration progressInterval) {
        return new SeedSettings(source, replica, tables, force, slotWait, publication, jobs, progressInterval);
    }
}
