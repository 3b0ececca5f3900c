package dev.pgcapture.agent.seed;

import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.agent.replica.StructureSql;
import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What {@code seed} writes on the replica: schemas, types and sequences first, then each table with its rows and registry entry. */
final class ReplicaWriter {

    private ReplicaWriter() {
    }

    /**
     * Creates the schemas, user types and {@code nextval} sequences the tables need, in
     * {@code replica}'s transaction, so that the tables can then be created from several
     * connections without racing for them.
     */
    static void prepare(Connection source, Connection replica, Collection<TableStructure> tables) throws SQLException {
        Set<String> schemas = new LinkedHashSet<>();
        tables.forEach(t -> schemas.add(t.schema()));
        try (Statement s = replica.createStatement()) {
            for (String schema : schemas) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + TableName.quoteIdentifier(schema));
            }
        }
        UserTypes.create(source, replica, UserTypes.read(source, tables));
        try (Statement s = replica.createStatement()) {
            for (TableStructure t : tables) {
                for (TableStructure.Column c : t.columns().values()) {
                    Optional<String> sequence = StructureSql.sequenceOf(c);
                    if (sequence.isPresent()) {
                        s.execute("CREATE SEQUENCE IF NOT EXISTS " + sequence.get());
                    }
                }
            }
        }
    }

    /**
     * Replaces the replica's copy of one table, in {@code replica}'s transaction: drops the
     * table the registry knows under this source OID and any table of the new name, creates it
     * from {@code table}, copies the rows (inside the source connection's snapshot) and records
     * it with {@code applyFrom}. The caller has taken {@code ACCESS SHARE} on the source table and
     * checked it unchanged since the snapshot.
     *
     * @return the rows copied
     */
    static long replaceTable(Connection source, Connection replica, ReplicaTables registry, TableStructure table, Lsn applyFrom,
            boolean textFormat, SeedProgress progress) throws SQLException {
        try (Statement s = replica.createStatement()) {
            Optional<ReplicaTables.Table> known = registry.byOid(table.oid());
            if (known.isPresent()) {
                s.execute("DROP TABLE IF EXISTS " + known.get().structure().name().quoted());
            }
            s.execute("DROP TABLE IF EXISTS " + table.name().quoted());
            for (String sql : StructureSql.createTable(table)) {
                s.execute(sql);
            }
        }
        long rows = TableCopier.copy(source, replica, table, textFormat, progress);
        registry.put(replica, new ReplicaTables.Table(table, applyFrom, false));
        return rows;
    }

    /**
     * Drops every table the registry holds and forgets it, and forgets the replica's checkpoint,
     * in {@code replica}'s transaction.
     */
    static void dropRegistered(Connection replica, ReplicaTables registry) throws SQLException {
        try (Statement s = replica.createStatement()) {
            s.execute(SnapshotSession.SQL.section("forget_position"));
            for (ReplicaTables.Table t : List.copyOf(registry.all())) {
                s.execute("DROP TABLE IF EXISTS " + t.structure().name().quoted());
                registry.remove(replica, t.structure().oid());
            }
        }
    }

    /**
     * Refuses when a table to seed has the name of a replica table that seed would not replace
     * on its own: one pgcapture did not seed (or seeded for another source table).
     */
    static void checkNamesFree(Connection replica, Collection<TableStructure> tables, ReplicaTables registry, boolean dropRegistered,
            boolean force) throws SQLException {
        if (force) {
            return;
        }
        List<String> taken = new ArrayList<>();
        try (PreparedStatement s = replica.prepareStatement(SnapshotSession.SQL.section("current_oid"))) {
            for (TableStructure t : tables) {
                s.setString(1, t.name().quoted());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    r.getLong(1);
                    if (r.wasNull()) {
                        continue;
                    }
                }
                boolean ours = registry.all().stream().anyMatch(known -> known.structure().name().equals(t.name())
                        && (dropRegistered || known.structure().oid() == t.oid()));
                if (!ours) {
                    taken.add(t.name().quoted());
                }
            }
        }
        if (!taken.isEmpty()) {
            throw new SeedRefusedException("the replica already has table(s) that seed did not create: " + String.join(", ", taken)
                    + ". seed creates the replica's tables itself: drop them, or use --force to replace them.");
        }
    }
}
