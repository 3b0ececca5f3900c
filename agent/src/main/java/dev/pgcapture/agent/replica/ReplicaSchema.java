package dev.pgcapture.agent.replica;

import dev.pgcapture.agent.SqlScript;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The schema {@code pgcapture} on a logical replica: the applied source position
 * ({@code pgcapture.sources}), the source structure of each table ({@code pgcapture.tables}),
 * the source OIDs of user types ({@code pgcapture.types}), and the catalog functions the source
 * has ({@code type_parts}, {@code binary_sendable}, {@code table_structure}). The SQL is in
 * {@code replica.sql}.
 */
public final class ReplicaSchema {

    /** The schema pgcapture's bookkeeping lives in, on the replica as on the source. */
    public static final String SCHEMA = "pgcapture";

    static final SqlScript SQL = SqlScript.load(ReplicaSchema.class, "replica.sql");

    /**
     * The source's own catalog functions ({@code setup.sql}), installed on the replica too, so
     * that both describe tables and types with one definition.
     */
    private static final SqlScript SETUP_SQL = SqlScript.load(ReplicaSchema.class, "/dev/pgcapture/agent/setup/setup.sql");
    private static final String[] FUNCTIONS = {"create_type_parts", "create_binary_sendable", "create_table_structure"};

    private static final String[] CREATE = {"create_schema", "create_sources", "create_tables", "create_types"};

    private ReplicaSchema() {
    }

    /** Creates whatever is missing of the schema; safe to run at every start. */
    public static void ensure(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String section : CREATE) {
                s.execute(SQL.section(section));
            }
            for (String function : FUNCTIONS) {
                s.execute(SETUP_SQL.section(function, SCHEMA));
            }
        }
    }
}
