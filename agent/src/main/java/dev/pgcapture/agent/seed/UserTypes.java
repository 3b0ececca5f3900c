package dev.pgcapture.agent.seed;

import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.core.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user types (enums, domains, composite types, ranges) the seeded tables use, read from the
 * source catalog inside the snapshot and created on the replica before the tables, each after the
 * types it is built from. A type that already exists on the replica is kept (an enum gets the
 * labels it lacks); types of extensions are not created (the extension must be installed on the
 * replica). Every type, its array type and a range's multirange are recorded in
 * {@code pgcapture.types} with the source's OIDs.
 */
final class UserTypes {

    /** One source type, as section {@code user_types} describes it. */
    record UserType(long oid, String schema, String name, char kind, long arrayOid, String arrayName, String extension,
                    String relkind, List<Long> uses, String definition) {

        String quotedName() {
            return TableName.quoteIdentifier(schema) + "." + TableName.quoteIdentifier(name);
        }

        /** The statement that creates it; {@code null} for an extension's type or a table's row type. */
        String createSql() {
            if (extension != null || (kind == 'c' && !"c".equals(relkind))) {
                return null;
            }
            return switch (kind) {
                case 'e' -> "CREATE TYPE " + quotedName() + " AS ENUM (" + (definition == null ? "" : definition) + ")";
                case 'd' -> "CREATE DOMAIN " + quotedName() + " AS " + definition;
                case 'c' -> "CREATE TYPE " + quotedName() + " AS (" + (definition == null ? "" : definition) + ")";
                case 'r' -> "CREATE TYPE " + quotedName() + " AS RANGE (" + definition + ")";
                default -> null; // base types come from extensions or C code: nothing we can create
            };
        }
    }

    private UserTypes() {
    }

    /** The user types the tables' columns use, dependencies first. */
    static List<UserType> read(Connection source, Collection<TableStructure> tables) throws SQLException {
        Set<Long> columnTypes = new LinkedHashSet<>();
        for (TableStructure t : tables) {
            t.columns().values().forEach(c -> columnTypes.add(c.typeOid()));
        }
        Map<Long, UserType> types = new LinkedHashMap<>();
        try (PreparedStatement s = source.prepareStatement(SnapshotSession.SQL.section("user_types"))) {
            s.setArray(1, source.createArrayOf("oid", columnTypes.toArray(Long[]::new)));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    List<Long> uses = new ArrayList<>();
                    Array array = r.getArray(9);
                    for (Object o : (Object[]) array.getArray()) {
                        uses.add(((Number) o).longValue());
                    }
                    UserType type = new UserType(r.getLong(1), r.getString(2), r.getString(3), r.getString(4).charAt(0),
                            r.getLong(5), r.getString(6), r.getString(7), r.getString(8), uses, r.getString(10));
                    types.put(type.oid(), type);
                }
            }
        }
        return dependenciesFirst(types);
    }

    /** Orders types so that each comes after the user types it is built from. */
    static List<UserType> dependenciesFirst(Map<Long, UserType> types) {
        List<UserType> ordered = new ArrayList<>();
        Set<Long> done = new HashSet<>();
        for (UserType type : types.values()) {
            visit(type, types, done, new HashSet<>(), ordered);
        }
        return ordered;
    }

    private static void visit(UserType type, Map<Long, UserType> types, Set<Long> done, Set<Long> path, List<UserType> ordered) {
        if (done.contains(type.oid()) || !path.add(type.oid())) {
            return; // done, or a cycle (PostgreSQL allows none among these kinds; stop rather than loop)
        }
        for (Long used : type.uses()) {
            UserType dependency = types.get(used);
            if (dependency != null) {
                visit(dependency, types, done, path, ordered);
            }
        }
        done.add(type.oid());
        ordered.add(type);
    }

    /** Creates what the replica lacks and records every type's source OIDs, in {@code replica}'s transaction. */
    static void create(Connection source, Connection replica, List<UserType> types) throws SQLException {
        for (UserType type : types) {
            Long existing = replicaOid(replica, type.quotedName());
            if (existing == null) {
                String sql = type.createSql();
                if (sql == null) {
                    throw new SeedRefusedException("the replica has no type " + type.quotedName() + ", which the seeded tables use"
                            + (type.extension() != null ? ": it comes from extension \"" + type.extension()
                                    + "\" on the source; CREATE EXTENSION " + TableName.quoteIdentifier(type.extension())
                                    + " on the replica first"
                                    : ": create it on the replica first"));
                }
                try (Statement s = replica.createStatement()) {
                    s.execute("CREATE SCHEMA IF NOT EXISTS " + TableName.quoteIdentifier(type.schema()));
                    s.execute(sql);
                }
            } else if (type.kind() == 'e' && type.definition() != null) {
                addMissingLabels(replica, type, existing);
            }
            ReplicaTables.putType(replica, type.oid(), type.schema(), type.name());
            if (type.arrayOid() != 0) {
                ReplicaTables.putType(replica, type.arrayOid(), type.schema(), type.arrayName());
            }
            if (type.kind() == 'r') {
                recordMultirange(source, replica, type);
            }
        }
    }

    private static void addMissingLabels(Connection replica, UserType type, long replicaOid) throws SQLException {
        Set<String> present = new HashSet<>();
        try (PreparedStatement s = replica.prepareStatement(SnapshotSession.SQL.section("replica_enum_labels"))) {
            s.setLong(1, replicaOid);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    present.add(r.getString(1));
                }
            }
        }
        // The labels come quoted by the source (format %L) and contain no unquoted comma.
        String previous = null;
        for (String label : splitLabels(type.definition())) {
            if (!present.contains(label)) {
                try (Statement s = replica.createStatement()) {
                    s.execute("ALTER TYPE " + type.quotedName() + " ADD VALUE IF NOT EXISTS " + label
                            + (previous == null ? "" : " AFTER " + previous));
                }
            }
            previous = label;
        }
    }

    /** Splits {@code 'a', 'b''c', E'd\\e'} at the commas between literals. */
    static List<String> splitLabels(String labels) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < labels.length(); i++) {
            char ch = labels.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            }
            if (ch == ',' && !quoted) {
                out.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        if (!current.isEmpty()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static void recordMultirange(Connection source, Connection replica, UserType range) throws SQLException {
        try (PreparedStatement s = source.prepareStatement(SnapshotSession.SQL.section("multirange_of"))) {
            s.setLong(1, range.oid());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ReplicaTables.putType(replica, r.getLong(1), r.getString(2), r.getString(3));
                    if (r.getLong(4) != 0) {
                        ReplicaTables.putType(replica, r.getLong(4), r.getString(2), r.getString(5));
                    }
                }
            }
        }
    }

    private static Long replicaOid(Connection replica, String quotedName) throws SQLException {
        try (PreparedStatement s = replica.prepareStatement(SnapshotSession.SQL.section("replica_type_oid"))) {
            s.setString(1, quotedName);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long oid = r.getLong(1);
                return r.wasNull() ? null : oid;
            }
        }
    }
}
