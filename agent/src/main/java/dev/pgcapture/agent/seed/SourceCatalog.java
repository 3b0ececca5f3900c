package dev.pgcapture.agent.seed;

import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code seed} reads from the source inside the snapshot: which tables, their structure, whether they changed since. */
final class SourceCatalog {

    /** What the per-table check found after {@code LOCK TABLE}. */
    enum Check {
        /** The table's data as of the snapshot can be read: copy it. */
        UNCHANGED,
        /** Truncated, rewritten, renamed or dropped since the snapshot: reading it now would not give the snapshot's rows. */
        CHANGED
    }

    private SourceCatalog() {
    }

    /** Refuses unless {@code pgcapture init} installed {@code pgcapture.table_structure} and the publication exists. */
    static void checkInitialised(Connection c, String publication) throws SQLException {
        if (!bool(c, "init_done")) {
            throw new SeedRefusedException("the source lacks pgcapture.table_structure(oid[]) or pgcapture.type_parts(oid[]): run pgcapture init first");
        }
        if (!bool(c, "publication_exists", publication)) {
            throw new SeedRefusedException("the source has no publication \"" + publication
                    + "\": run pgcapture init first (or name the publication pg2pulsar uses with --publication)");
        }
    }

    /** The OIDs of the tables {@code publication} publishes, pgcapture.ddl_logs aside. */
    static List<Long> publishedTables(Connection c, String publication) throws SQLException {
        List<Long> oids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SnapshotSession.SQL.section("published_tables"))) {
            s.setString(1, publication);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    oids.add(r.getLong(1));
                }
            }
        }
        return oids;
    }

    /**
     * The OIDs of the named tables, which must all exist and be published.
     *
     * @throws SeedRefusedException naming every table that does not exist, or is not published
     */
    static List<Long> namedTables(Connection c, List<TableName> tables, String publication) throws SQLException {
        List<Long> oids = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> unpublished = new ArrayList<>();
        try (PreparedStatement find = c.prepareStatement(SnapshotSession.SQL.section("table_oid"));
             PreparedStatement published = c.prepareStatement(SnapshotSession.SQL.section("is_published"))) {
            for (TableName table : tables) {
                find.setString(1, table.schema());
                find.setString(2, table.table());
                try (ResultSet r = find.executeQuery()) {
                    if (!r.next() || !r.getBoolean(2)) {
                        missing.add(table.quoted());
                        continue;
                    }
                    oids.add(r.getLong(1));
                }
                published.setString(1, publication);
                published.setString(2, table.schema());
                published.setString(3, table.table());
                try (ResultSet r = published.executeQuery()) {
                    r.next();
                    if (!r.getBoolean(1)) {
                        unpublished.add(table.quoted());
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new SeedRefusedException("--tables names " + (missing.size() == 1 ? "a table" : "tables")
                    + " that the source does not have: " + String.join(", ", missing));
        }
        if (!unpublished.isEmpty()) {
            throw new SeedRefusedException("--tables names " + (unpublished.size() == 1 ? "a table" : "tables")
                    + " that publication \"" + publication + "\" does not publish, so the replica would never get its changes: "
                    + String.join(", ", unpublished));
        }
        return oids;
    }

    /** The structure of these tables as of the snapshot, in the given order; tables that did not exist then are absent. */
    static Map<Long, TableStructure> structures(Connection c, Collection<Long> oids) throws SQLException {
        Map<Long, TableStructure> all;
        try (PreparedStatement s = c.prepareStatement(SnapshotSession.SQL.section("table_structures"))) {
            s.setArray(1, c.createArrayOf("oid", oids.toArray(Long[]::new)));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                all = TableStructure.parseAll(r.getString(1));
            }
        }
        Map<Long, TableStructure> ordered = new LinkedHashMap<>();
        for (Long oid : oids) {
            TableStructure t = all.get(oid);
            if (t != null) {
                ordered.put(oid, t);
            }
        }
        return ordered;
    }

    /**
     * Takes {@code ACCESS SHARE} on the table and tells whether its rows as of the snapshot can
     * still be read: its name (as the snapshot knew it) must still mean it, and its file node
     * must be the snapshot's (a TRUNCATE or rewrite gives it a new one, which MVCC cannot see
     * through).
     */
    static Check lockAndCheck(Connection c, TableStructure table) throws SQLException {
        String name = table.name().quoted();
        try (PreparedStatement s = c.prepareStatement(SnapshotSession.SQL.section("current_oid"))) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long oid = r.getLong(1);
                if (r.wasNull() || oid != table.oid()) {
                    return Check.CHANGED;
                }
            }
        }
        try (var s = c.createStatement()) {
            s.execute("LOCK TABLE " + name + " IN ACCESS SHARE MODE");
        }
        try (PreparedStatement s = c.prepareStatement(SnapshotSession.SQL.section("relfilenodes"))) {
            s.setString(1, name);
            s.setLong(2, table.oid());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Check.CHANGED;
                }
                long inSnapshot = r.getLong(1);
                long now = r.getLong(2);
                // A partitioned table has no storage: no file node to compare, its name decides.
                boolean dropped = r.wasNull() && !"p".equals(table.relkind());
                if (r.wasNull() && !dropped) {
                    now = inSnapshot;
                }
                long nameMeans = r.getLong(3);
                boolean nameGone = r.wasNull();
                return decide(inSnapshot, dropped ? null : now, nameGone ? null : nameMeans, table.oid());
            }
        }
    }

    /**
     * The retry rule: copy only when the table's file node now is the one the snapshot saw and
     * its name still means the same table.
     *
     * @param currentFilenode {@code null} when the table is gone
     * @param nameNowMeans the OID the table's snapshot name resolves to now, {@code null} when none
     */
    static Check decide(long snapshotFilenode, Long currentFilenode, Long nameNowMeans, long oid) {
        if (currentFilenode == null || currentFilenode != snapshotFilenode) {
            return Check.CHANGED;
        }
        return nameNowMeans != null && nameNowMeans == oid ? Check.UNCHANGED : Check.CHANGED;
    }

    /** Whether the table must be copied as text: see section {@code needs_text_copy}. */
    static boolean needsTextCopy(Connection c, TableStructure table) throws SQLException {
        if (table.columns().values().stream().anyMatch(col -> col.generated() == null && !col.binarySendable())) {
            return true;
        }
        try (PreparedStatement s = c.prepareStatement(SnapshotSession.SQL.section("needs_text_copy"))) {
            s.setLong(1, table.oid());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static boolean bool(Connection c, String section, String... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SnapshotSession.SQL.section(section))) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }
}
