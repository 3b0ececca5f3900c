package dev.pgcapture.agent.capture;

import dev.pgcapture.agent.FatalAgentException;
import dev.pgcapture.core.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Looks at a logical replication slot before streaming from it, so that a slot that is gone or
 * invalidated is reported as what it means — the replicas need a new seed — instead of being
 * recreated, which would silently skip every change made in between.
 */
final class ReplicationSlots {

    /** The state of a usable slot. */
    record Slot(String name, Lsn confirmedFlush, boolean active, Integer activePid) {
    }

    private ReplicationSlots() {
    }

    /**
     * The slot {@code name} of the connection's database.
     *
     * @throws FatalAgentException when the slot is missing, belongs to another plugin or
     *     database, or was invalidated
     */
    static Slot inspect(Connection connection, String name, int serverVersionNum) throws SQLException, FatalAgentException {
        String invalidation = serverVersionNum >= 170000 ? "invalidation_reason"
                : serverVersionNum >= 160000 ? "CASE WHEN conflicting THEN 'conflict with recovery' END"
                : "NULL::text";
        String sql = "SELECT plugin, slot_type, database = current_database(), wal_status, " + invalidation
                + ", confirmed_flush_lsn::text, active, active_pid, current_database()"
                + " FROM pg_catalog.pg_replication_slots WHERE slot_name = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new FatalAgentException("replication slot \"" + name + "\" does not exist: re-seed needed."
                            + " Changes made since it disappeared (a failover to a server without it, or a manual drop) cannot be"
                            + " read any more, so pgcapture does not recreate it silently. Run `pgcapture init` to create it,"
                            + " then seed the replicas again.");
                }
                String plugin = row.getString(1);
                if (!"logical".equals(row.getString(2)) || !"pgoutput".equals(plugin)) {
                    throw new FatalAgentException("replication slot \"" + name + "\" is a " + row.getString(2) + " slot with plugin "
                            + plugin + ", not a logical pgoutput slot: choose another slot name (--slot), or drop it and run `pgcapture init`");
                }
                if (!row.getBoolean(3)) {
                    throw new FatalAgentException("replication slot \"" + name + "\" belongs to another database than \""
                            + row.getString(9) + "\": connect to its database or choose another slot name (--slot)");
                }
                String walStatus = row.getString(4);
                String invalidated = row.getString(5);
                if ("lost".equals(walStatus) || invalidated != null) {
                    throw new FatalAgentException("replication slot \"" + name + "\" was invalidated ("
                            + (invalidated != null ? invalidated : "wal_status lost")
                            + "): re-seed needed. The WAL it needed was removed (max_slot_wal_keep_size) or it conflicted with"
                            + " recovery, so changes are missing. Drop the slot, run `pgcapture init`, then seed the replicas again.");
                }
                String confirmed = row.getString(6);
                int pid = row.getInt(8);
                return new Slot(name, confirmed == null ? Lsn.ZERO : Lsn.parse(confirmed), row.getBoolean(7), row.wasNull() ? null : pid);
            }
        }
    }
}
