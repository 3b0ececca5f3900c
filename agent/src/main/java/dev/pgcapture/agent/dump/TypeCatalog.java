package dev.pgcapture.agent.dump;

import dev.pgcapture.agent.SqlScript;
import dev.pgcapture.agent.replica.BinaryOidRewriter;
import dev.pgcapture.proto.DescribeTypesResponse;
import dev.pgcapture.proto.TypeAttribute;
import dev.pgcapture.proto.TypeDescription;
import io.grpc.Status;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Answers {@code DescribeTypes} from the replica's catalog: types asked for by the source's OIDs,
 * described with the source's OIDs throughout, together with every type they are made of.
 *
 * <p>A requested OID below {@value BinaryOidRewriter#FIRST_USER_OID} is the same built-in type on
 * the replica; a user type is found through {@code pgcapture.types} (source OID to schema and
 * name). The types they reach (elements, bases, subtypes, attributes) are mapped back the same
 * way. A requested type is described under the OID it was asked by; the others under the source
 * OID {@code pgcapture.types} records for them.
 */
final class TypeCatalog {

    /** The most OIDs one request may ask for. */
    static final int MAX_OIDS = 10_000;

    private static final SqlScript SQL = SqlScript.load(TypeCatalog.class, "types.sql");
    private static final String UNDEFINED_TABLE = "42P01";

    /** One replica type, with replica OIDs. */
    private record Row(int oid, String schema, String name, char typtype, boolean isArray, int element, int base,
                       int rangeSubtype, int multirangeRange, List<String> attributeNames, List<Integer> attributeTypes,
                       List<String> labels, String sqlName, Integer sourceOid) {
    }

    private TypeCatalog() {
    }

    /**
     * Describes the types with these source OIDs, in one read-only transaction on {@code c}.
     *
     * @throws DumpStopped INVALID_ARGUMENT for no OIDs or more than {@value #MAX_OIDS};
     *     FAILED_PRECONDITION when the replica has no pgcapture schema or a type reached has no
     *     source OID
     */
    static DescribeTypesResponse describe(Connection c, List<Integer> sourceOids) throws SQLException, DumpStopped {
        if (sourceOids.isEmpty()) {
            throw new DumpStopped(DumpStatus.invalid("the request lists no type OIDs"));
        }
        if (sourceOids.size() > MAX_OIDS) {
            throw new DumpStopped(DumpStatus.invalid("the request lists " + sourceOids.size() + " type OIDs, more than the "
                    + MAX_OIDS + " one request may ask for"));
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            s.execute("SET LOCAL search_path = pg_catalog"); // format_type() then qualifies every user type
            Map<Integer, Integer> requested = resolve(c, new LinkedHashSet<>(sourceOids));
            Map<Integer, Row> rows = read(c, requested.values());
            return build(requested, rows);
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw new DumpStopped(DumpStatus.notSeeded());
            }
            throw e;
        } finally {
            c.rollback();
        }
    }

    /** Source OID to replica OID, in request order; a null value for an unknown OID. */
    private static Map<Integer, Integer> resolve(Connection c, Set<Integer> sourceOids) throws SQLException {
        Map<Integer, Integer> resolved = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(SQL.section("resolve"))) {
            s.setArray(1, oidArray(c, sourceOids));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int source = (int) r.getLong(1);
                    long replica = r.getLong(2);
                    resolved.put(source, r.wasNull() ? null : (int) replica);
                }
            }
        }
        return resolved;
    }

    private static Map<Integer, Row> read(Connection c, Collection<Integer> replicaOids) throws SQLException {
        Map<Integer, Row> rows = new HashMap<>();
        List<Integer> known = replicaOids.stream().filter(Objects::nonNull).toList();
        if (known.isEmpty()) {
            return rows;
        }
        try (PreparedStatement s = c.prepareStatement(SQL.section("describe"))) {
            s.setArray(1, oidArray(c, known));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long source = r.getLong(14);
                    Integer sourceOid = r.wasNull() ? null : (int) source;
                    Row row = new Row((int) r.getLong(1), r.getString(2), r.getString(3), r.getString(4).charAt(0), r.getBoolean(5),
                            (int) r.getLong(6), (int) r.getLong(7), (int) r.getLong(8), (int) r.getLong(9),
                            strings(r.getArray(10)), oids(r.getArray(11)), strings(r.getArray(12)), r.getString(13), sourceOid);
                    rows.put(row.oid(), row);
                }
            }
        }
        return rows;
    }

    private static DescribeTypesResponse build(Map<Integer, Integer> requested, Map<Integer, Row> rows) throws DumpStopped {
        DescribeTypesResponse.Builder response = DescribeTypesResponse.newBuilder();
        Map<Integer, TypeDescription> described = new LinkedHashMap<>();
        for (Map.Entry<Integer, Integer> entry : requested.entrySet()) {
            Row row = entry.getValue() == null ? null : rows.get(entry.getValue());
            if (row == null) {
                response.addUnknownOids(entry.getKey());
            } else {
                described.put(entry.getKey(), description(entry.getKey(), row, rows));
            }
        }
        List<TypeDescription> parts = new ArrayList<>();
        for (Row row : rows.values()) {
            int source = toSource(row.oid(), rows);
            if (!described.containsKey(source)) {
                parts.add(description(source, row, rows));
            }
        }
        parts.sort(Comparator.comparing(t -> Integer.toUnsignedLong(t.getOid())));
        return response.addAllTypes(described.values()).addAllTypes(parts).build();
    }

    private static TypeDescription description(int sourceOid, Row row, Map<Integer, Row> rows) throws DumpStopped {
        TypeDescription.Builder type = TypeDescription.newBuilder()
                .setOid(sourceOid)
                .setSchema(row.schema())
                .setName(row.name())
                .setSqlName(row.sqlName());
        switch (row.typtype()) {
            case 'b' -> {
                if (row.isArray()) {
                    type.setKind(TypeDescription.Kind.ARRAY).setElementOid(toSource(row.element(), rows));
                } else {
                    type.setKind(TypeDescription.Kind.BASE);
                }
            }
            case 'e' -> type.setKind(TypeDescription.Kind.ENUM).addAllLabels(row.labels());
            case 'd' -> type.setKind(TypeDescription.Kind.DOMAIN).setBaseOid(toSource(row.base(), rows));
            case 'c' -> {
                type.setKind(TypeDescription.Kind.COMPOSITE);
                for (int i = 0; i < row.attributeNames().size(); i++) {
                    type.addAttributes(TypeAttribute.newBuilder()
                            .setName(row.attributeNames().get(i))
                            .setOid(toSource(row.attributeTypes().get(i), rows)));
                }
            }
            case 'r' -> type.setKind(TypeDescription.Kind.RANGE).setElementOid(toSource(row.rangeSubtype(), rows));
            case 'm' -> type.setKind(TypeDescription.Kind.MULTIRANGE).setElementOid(toSource(row.multirangeRange(), rows));
            case 'p' -> type.setKind(TypeDescription.Kind.PSEUDO);
            default -> throw new IllegalStateException("type " + row.sqlName() + " has unknown typtype '" + row.typtype() + "'");
        }
        return type.build();
    }

    private static int toSource(int replicaOid, Map<Integer, Row> rows) throws DumpStopped {
        if (!BinaryOidRewriter.isUserType(replicaOid)) {
            return replicaOid;
        }
        Row row = rows.get(replicaOid);
        if (row == null || row.sourceOid() == null) {
            String name = row == null ? "with replica OID " + Integer.toUnsignedString(replicaOid)
                    : row.sqlName() + " (replica OID " + Integer.toUnsignedString(replicaOid) + ")";
            throw new DumpStopped(Status.FAILED_PRECONDITION.withDescription("type " + name
                    + " has no source OID in pgcapture.types (the seed and the applier record every user type there)"));
        }
        return row.sourceOid();
    }

    private static Array oidArray(Connection c, Collection<Integer> oids) throws SQLException {
        return c.createArrayOf("oid", oids.stream().map(Integer::toUnsignedLong).toArray());
    }

    private static List<String> strings(Array array) throws SQLException {
        List<String> values = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            values.add((String) value);
        }
        return values;
    }

    private static List<Integer> oids(Array array) throws SQLException {
        List<Integer> values = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            values.add(((Number) value).intValue());
        }
        return values;
    }
}
