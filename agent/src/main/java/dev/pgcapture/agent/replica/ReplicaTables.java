package dev.pgcapture.agent.replica;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The replicated tables, as {@code pgcapture.tables} records them: each table's source structure,
 * keyed by the source's table OID and findable by its current name. Writes go to the database in
 * the caller's transaction and to this cache at once; after a rollback, {@link #load} again.
 * Not thread-safe: the applier owns it.
 */
public final class ReplicaTables {

    /**
     * One replicated table.
     *
     * @param structure the source's structure as last applied
     * @param applyFrom changes whose commit LSN is before this are already in the table (seeded)
     * @param needsSeed the table was rewritten on the source; its changes are skipped until it is
     *     seeded again
     */
    public record Table(TableStructure structure, Lsn applyFrom, boolean needsSeed) {

        public Table {
            Objects.requireNonNull(structure, "structure");
            Objects.requireNonNull(applyFrom, "applyFrom");
        }

        /** Whether a change committed at {@code commitLsn} is to be applied to this table. */
        public boolean applies(Lsn commitLsn) {
            return !needsSeed && commitLsn.compareTo(applyFrom) >= 0;
        }
    }

    private final Map<Long, Table> byOid = new HashMap<>();
    private final Map<TableName, Long> byName = new HashMap<>();

    private ReplicaTables() {
    }

    /** Reads {@code pgcapture.tables}. */
    public static ReplicaTables load(Connection c) throws SQLException {
        ReplicaTables tables = new ReplicaTables();
        tables.reload(c);
        return tables;
    }

    /** Reads {@code pgcapture.tables} again, e.g. after a rollback left this cache ahead of the database. */
    public void reload(Connection c) throws SQLException {
        byOid.clear();
        byName.clear();
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("read_tables"));
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                long oid = r.getLong(1);
                cache(new Table(TableStructure.parse(oid, r.getString(2)), Lsn.parse(r.getString(3)), r.getBoolean(4)));
            }
        }
    }

    public Optional<Table> byOid(long sourceOid) {
        return Optional.ofNullable(byOid.get(sourceOid));
    }

    /** The table the source currently calls {@code name}. */
    public Optional<Table> byName(TableName name) {
        Long oid = byName.get(name);
        return oid == null ? Optional.empty() : byOid(oid);
    }

    public Collection<Table> all() {
        return byOid.values();
    }

    /** Records a table (new, changed or re-seeded), in {@code c}'s transaction. */
    public void put(Connection c, Table table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("write_table"))) {
            s.setLong(1, table.structure().oid());
            s.setString(2, table.structure().toJson());
            s.setString(3, table.applyFrom().toString());
            s.setBoolean(4, table.needsSeed());
            s.executeUpdate();
        }
        uncache(table.structure().oid());
        cache(table);
    }

    /** Forgets a dropped table, in {@code c}'s transaction. */
    public void remove(Connection c, long sourceOid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("delete_table"))) {
            s.setLong(1, sourceOid);
            s.executeUpdate();
        }
        uncache(sourceOid);
    }

    /** Records the source OID of a user type, in {@code c}'s transaction. */
    public static void putType(Connection c, long sourceOid, String schema, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ReplicaSchema.SQL.section("write_type"))) {
            s.setLong(1, sourceOid);
            s.setString(2, schema);
            s.setString(3, name);
            s.executeUpdate();
        }
    }

    private void cache(Table table) {
        byOid.put(table.structure().oid(), table);
        byName.put(table.structure().name(), table.structure().oid());
    }

    private void uncache(long oid) {
        Table old = byOid.remove(oid);
        if (old != null) {
            byName.remove(old.structure().name(), oid);
        }
    }
}
