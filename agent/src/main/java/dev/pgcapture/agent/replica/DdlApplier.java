package dev.pgcapture.agent.replica;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.proto.Change;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * PLACEHOLDER until DDL apply lands: the applier's contract with it is this constructor and
 * {@link #apply}. Replaced whole by the real class, which changes the replica's structure and
 * {@link ReplicaTables} in the applier's open transaction.
 */
final class DdlApplier {

    DdlApplier(ReplicaTables tables, DumpInterlock interlock) {
    }

    void apply(Connection c, Change ddlLogsInsert, Lsn commitLsn) throws SQLException, ApplyException {
        throw new ApplyException(commitLsn, null, "DDL apply is not built yet");
    }
}
