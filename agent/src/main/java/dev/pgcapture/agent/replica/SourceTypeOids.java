package dev.pgcapture.agent.replica;

import dev.pgcapture.agent.SqlScript;
import dev.pgcapture.core.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The source's type OIDs mapped to the replica's, so that the applier can write the source's
 * binary values into replica columns: arrays and composites (also inside domains, ranges and
 * multiranges) embed type OIDs, and PostgreSQL's {@code array_recv} / {@code record_recv} reject
 * a value whose embedded OIDs are not the column type's. A column's own type is matched by the
 * schema and name its table structure gives; every type embedded in its values by
 * {@code pgcapture.types} (seed and the DDL applier record the source OID of each), joined by
 * schema and name with the replica's {@code pg_type}.
 *
 * <p>Columns of built-in types, and of user types whose values embed no user type OID (enums,
 * domains over built-in types, composites of built-in types, ranges of built-in types), are not
 * rewritten and cost one cached look-up per column per run. The catalog is read lazily, the first
 * time a column of a user type is written, and again after {@link #refresh}. Not thread-safe.
 */
final class SourceTypeOids {

    /** A value that cannot be mapped; the message names the table, the column and the type. */
    static final class UnmappedValueException extends IllegalStateException {
        UnmappedValueException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Why an embedded OID cannot be mapped, before the table and column are known. */
    private static final class Unmapped extends IllegalStateException {
        Unmapped(String message) {
            super(message);
        }
    }

    /**
     * One row of {@code pgcapture.types}.
     *
     * @param replicaOid the replica's type of the same schema and name, null when it has none
     */
    record Recorded(TableName name, Integer replicaOid) {
    }

    /** Where the mapping comes from: the replica's catalog, or a fake in tests. */
    interface Catalog {

        /** {@code pgcapture.types}, by source OID, each with the replica's type of the same name. */
        Map<Integer, Recorded> recorded() throws SQLException;

        /** The replica's OID of the type {@code name}; empty when the replica has no such type. */
        Optional<Integer> replicaOid(TableName name) throws SQLException;

        /** The shape of replica type {@code replicaOid} and of every type its values contain, by replica OID. */
        Map<Integer, TypeShape> shapes(int replicaOid) throws SQLException;
    }

    /** Rewrites the binary values of one column; {@link #NONE} for columns whose values embed no user type OID. */
    interface ColumnRewrite {

        ColumnRewrite NONE = value -> value;

        /**
         * The source's binary value {@code value} with every embedded type OID the replica's.
         *
         * @throws UnmappedValueException naming table, column and type when an embedded OID has no
         *     replica type, or the value is not a well-formed value of the column's type
         */
        byte[] toReplica(byte[] value);
    }

    private static final SqlScript SQL = SqlScript.load(SourceTypeOids.class, "types.sql");

    private final Catalog catalog;
    /** By the column's source type OID and name; {@link ColumnRewrite#NONE} when nothing to rewrite. */
    private final Map<ColumnType, ColumnRewrite> columns = new HashMap<>();
    private Map<Integer, Recorded> recorded;

    SourceTypeOids(Catalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** The replica's catalog through {@code c}, read in {@code c}'s transaction. */
    static SourceTypeOids of(Connection c) {
        return new SourceTypeOids(new ReplicaCatalogTypes(c));
    }

    /** Forgets what was read: after DDL (a new type or column type) and after a rollback. */
    void refresh() {
        columns.clear();
        recorded = null;
    }

    /**
     * How to write binary values of {@code column} of {@code table}.
     *
     * @throws UnmappedValueException when the replica has no type of the column type's name
     */
    ColumnRewrite forColumn(TableName table, TableStructure.Column column) throws SQLException {
        if (!BinaryOidRewriter.isUserType((int) column.typeOid())) {
            return ColumnRewrite.NONE;
        }
        ColumnType key = new ColumnType((int) column.typeOid(), new TableName(column.typeSchema(), column.typeName()));
        ColumnRewrite known = columns.get(key);
        if (known == null) {
            known = build(table, column, key);
            columns.put(key, known);
        }
        return known;
    }

    private record ColumnType(int sourceOid, TableName name) {
    }

    private ColumnRewrite build(TableName table, TableStructure.Column column, ColumnType type) throws SQLException {
        Optional<Integer> replica = catalog.replicaOid(type.name());
        if (replica.isEmpty()) {
            throw new UnmappedValueException(where(table, column) + ": the replica has no type " + type.name().quoted(), null);
        }
        int replicaOid = replica.get();
        Map<Integer, TypeShape> shapes = catalog.shapes(replicaOid);
        if (!embedsUserOid(replicaOid, shapes, 0)) {
            return ColumnRewrite.NONE;
        }
        if (recorded == null) {
            recorded = Map.copyOf(catalog.recorded());
        }
        Mapping mapping = new Mapping(type.sourceOid(), replicaOid, shapes, recorded);
        BinaryOidRewriter rewriter = new BinaryOidRewriter(mapping::sourceShape, mapping::toReplica);
        int sourceOid = type.sourceOid();
        return value -> {
            try {
                return rewriter.rewrite(sourceOid, value);
            } catch (Unmapped | IllegalArgumentException e) {
                throw new UnmappedValueException(where(table, column) + ": " + e.getMessage(), e);
            }
        };
    }

    private static String where(TableName table, TableStructure.Column column) {
        return "column " + TableName.quoteIdentifier(column.name()) + " of table " + table.quoted() + " (type "
                + column.typeSql() + ", source type OID " + Integer.toUnsignedString((int) column.typeOid()) + ")";
    }

    /** Whether values of replica type {@code oid} contain a user type's OID. */
    static boolean embedsUserOid(int oid, Map<Integer, TypeShape> shapes, int depth) {
        if (!BinaryOidRewriter.isUserType(oid) || depth > 64) {
            return false; // built-in types contain only built-in types; the depth ends a malformed cycle
        }
        TypeShape shape = shapes.get(oid);
        if (shape == null) {
            return true; // not described: let the rewriter report it rather than write it unchecked
        }
        return switch (shape) {
            case TypeShape.Scalar scalar -> false;
            case TypeShape.Domain domain -> embedsUserOid(domain.base(), shapes, depth + 1);
            case TypeShape.Array array -> BinaryOidRewriter.isUserType(array.element())
                    || embedsUserOid(array.element(), shapes, depth + 1);
            case TypeShape.Composite composite -> composite.attributes().stream()
                    .anyMatch(a -> BinaryOidRewriter.isUserType(a) || embedsUserOid(a, shapes, depth + 1));
            case TypeShape.Range range -> embedsUserOid(range.subtype(), shapes, depth + 1);
            case TypeShape.Multirange multirange -> embedsUserOid(multirange.range(), shapes, depth + 1);
        };
    }

    /**
     * Source → replica for the values of one column: its own type by name, embedded types by
     * {@code pgcapture.types}. A source OID may only map to a type the column's replica type
     * contains, so a value cannot turn into one of an unrelated type.
     */
    private static final class Mapping {

        private final int columnSource;
        private final int columnReplica;
        private final Map<Integer, TypeShape> shapes;
        private final Map<Integer, Recorded> recorded;
        private final Map<Integer, Integer> toSource = new HashMap<>();

        Mapping(int columnSource, int columnReplica, Map<Integer, TypeShape> shapes, Map<Integer, Recorded> recorded) {
            this.columnSource = columnSource;
            this.columnReplica = columnReplica;
            this.shapes = shapes;
            this.recorded = recorded;
            recorded.forEach((source, entry) -> {
                if (entry.replicaOid() != null && shapes.containsKey(entry.replicaOid())) {
                    toSource.merge(entry.replicaOid(), source, Math::max);
                }
            });
            toSource.put(columnReplica, columnSource);
        }

        int toReplica(int sourceOid) {
            if (!BinaryOidRewriter.isUserType(sourceOid)) {
                return sourceOid;
            }
            if (sourceOid == columnSource) {
                return columnReplica;
            }
            Recorded entry = recorded.get(sourceOid);
            if (entry == null) {
                throw new Unmapped("a value embeds source type OID " + Integer.toUnsignedString(sourceOid)
                        + ", which pgcapture.types does not list (seed and the DDL applier record every user type"
                        + " a table uses; seed the table again to record it)");
            }
            if (entry.replicaOid() == null) {
                throw new Unmapped("a value embeds source type " + entry.name().quoted() + " (source OID "
                        + Integer.toUnsignedString(sourceOid) + "), which does not exist on the replica");
            }
            if (!shapes.containsKey(entry.replicaOid())) {
                throw new Unmapped("a value embeds source type " + entry.name().quoted() + " (source OID "
                        + Integer.toUnsignedString(sourceOid) + "), which the replica's column type does not contain");
            }
            return entry.replicaOid();
        }

        /** The shape of source type {@code sourceOid}, with the types it refers to as source OIDs. */
        TypeShape sourceShape(int sourceOid) {
            TypeShape shape = shapes.get(toReplica(sourceOid));
            return switch (shape) {
                case TypeShape.Domain domain -> new TypeShape.Domain(toSource(domain.base()));
                case TypeShape.Range range -> new TypeShape.Range(toSource(range.subtype()));
                case TypeShape.Multirange multirange -> new TypeShape.Multirange(toSource(multirange.range()));
                case null -> null;
                default -> shape; // arrays and composites name their element and attribute OIDs in the value
            };
        }

        private int toSource(int replicaOid) {
            if (!BinaryOidRewriter.isUserType(replicaOid)) {
                return replicaOid;
            }
            Integer source = toSource.get(replicaOid);
            if (source == null) {
                throw new Unmapped("replica type OID " + Integer.toUnsignedString(replicaOid)
                        + ", inside the column's type, has no source OID in pgcapture.types"
                        + " (seed the table again to record it)");
            }
            return source;
        }
    }

    /** {@link Catalog} on the replica's connection. */
    private record ReplicaCatalogTypes(Connection c) implements Catalog {

        @Override
        public Map<Integer, Recorded> recorded() throws SQLException {
            Map<Integer, Recorded> recorded = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(SQL.section("source_types")); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int source = (int) r.getLong(1);
                    TableName name = new TableName(r.getString(2), r.getString(3));
                    long replica = r.getLong(4);
                    recorded.put(source, new Recorded(name, r.wasNull() ? null : (int) replica));
                }
            }
            return recorded;
        }

        @Override
        public Optional<Integer> replicaOid(TableName name) throws SQLException {
            try (PreparedStatement s = c.prepareStatement(SQL.section("replica_type"))) {
                s.setString(1, name.schema());
                s.setString(2, name.table());
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of((int) r.getLong(1)) : Optional.empty();
                }
            }
        }

        @Override
        public Map<Integer, TypeShape> shapes(int replicaOid) throws SQLException {
            return TypeOids.load(c, List.of(replicaOid)).shapes();
        }
    }
}
