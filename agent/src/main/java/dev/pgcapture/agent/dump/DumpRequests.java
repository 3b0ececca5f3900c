package dev.pgcapture.agent.dump;

import dev.pgcapture.core.TableName;

/** Checks of what callers send. */
final class DumpRequests {

    private DumpRequests() {
    }

    /** The replica table a request names: exact names, as the catalog spells them (not SQL syntax). */
    static TableName table(String schema, String table) throws DumpStopped {
        if (schema.isEmpty()) {
            throw new DumpStopped(DumpStatus.invalid("the schema name is empty"));
        }
        if (table.isEmpty()) {
            throw new DumpStopped(DumpStatus.invalid("the table name is empty"));
        }
        return new TableName(schema, table);
    }
}
