package dev.pgcapture.agent.replica;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Asks the replica's catalog whether a table's rows are independent: it has a primary key and no
 * other unique index or exclusion constraint, so changes of different keys cannot collide and may
 * be applied in any order ({@link RunGrouper.Ordering}). The table is looked up by name through a
 * parameter.
 */
final class UniqueConstraints implements RunGrouper.Ordering {

    private static final String SQL = """
            SELECT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
               AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND NOT i.indisprimary)
               AND NOT EXISTS (SELECT FROM pg_constraint x WHERE x.conrelid = c.oid AND x.contype = 'x')
            FROM pg_class c WHERE c.oid = to_regclass(?)""";

    private final Connection c;

    UniqueConstraints(Connection c) {
        this.c = c;
    }

    @Override
    public boolean independentRows(TableStructure table) throws SQLException {
        if (table.primaryKey().isEmpty()) {
            return false;
        }
        try (PreparedStatement s = c.prepareStatement(SQL)) {
            s.setString(1, table.name().quoted());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }
}
