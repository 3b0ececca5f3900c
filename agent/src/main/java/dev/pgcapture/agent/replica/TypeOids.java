package dev.pgcapture.agent.replica;

import dev.pgcapture.agent.SqlScript;
import dev.pgcapture.core.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replica type OIDs and the source's OIDs for the same types. Built-in types (OID below
 * {@value BinaryOidRewriter#FIRST_USER_OID}) have the same OID everywhere; user types (enums,
 * domains, composites, ranges and their arrays) are matched by schema and name with
 * {@code pgcapture.types}, which records the source's OID of each.
 *
 * <p>Loaded for a set of types, it also describes every type their binary values contain
 * (array elements, composite attributes, domain bases, range subtypes), so that binary values
 * can be rewritten ({@link #toSourceRewriter}) and types without a binary send function found
 * ({@link #binarySendable}). Not thread-safe: load one per dump.
 */
public final class TypeOids {

    /** Why a type cannot be mapped: it has no entry in {@code pgcapture.types}. */
    public static final class UnmappedTypeException extends IllegalStateException {
        UnmappedTypeException(String message) {
            super(message);
        }
    }

    /**
     * One type as the replica describes it.
     *
     * @param sourceOid the source's OID, or null when {@code pgcapture.types} does not know it
     */
    record Type(int oid, TableName name, TypeShape shape, boolean hasSend, Integer sourceOid) {
    }

    private static final SqlScript SQL = SqlScript.load(TypeOids.class, "types.sql");

    private final Map<Integer, Type> types;
    private final Map<Integer, Boolean> sendable = new HashMap<>();

    private TypeOids(Map<Integer, Type> types) {
        this.types = types;
    }

    /** Describes {@code replicaTypeOids} and every type their values contain, from the replica's catalog. */
    public static TypeOids load(Connection c, Collection<Integer> replicaTypeOids) throws SQLException {
        Map<Integer, Type> types = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(SQL.section("describe_types"))) {
            Array oids = c.createArrayOf("oid", replicaTypeOids.stream().map(Integer::toUnsignedLong).toArray());
            s.setArray(1, oids);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Type type = read(r);
                    types.put(type.oid(), type);
                }
            }
        }
        return new TypeOids(types);
    }

    private static Type read(ResultSet r) throws SQLException {
        int oid = (int) r.getLong(1);
        TableName name = new TableName(r.getString(2), r.getString(3));
        String kind = r.getString(4);
        TypeShape shape;
        if (r.getBoolean(5)) {
            shape = new TypeShape.Array((int) r.getLong(6));
        } else {
            shape = switch (kind) {
                case "d" -> new TypeShape.Domain((int) r.getLong(7));
                case "c" -> new TypeShape.Composite(attributes(r.getArray(8)));
                case "r" -> new TypeShape.Range((int) r.getLong(9));
                case "m" -> new TypeShape.Multirange((int) r.getLong(10));
                default -> new TypeShape.Scalar();
            };
        }
        boolean hasSend = r.getBoolean(11);
        long source = r.getLong(12);
        Integer sourceOid = r.wasNull() ? null : (int) source;
        return new Type(oid, name, shape, hasSend, sourceOid);
    }

    private static List<Integer> attributes(Array array) throws SQLException {
        List<Integer> attributes = new ArrayList<>();
        for (Object oid : (Object[]) array.getArray()) {
            attributes.add(((Number) oid).intValue());
        }
        return attributes;
    }

    /** How a value of {@code replicaOid} is laid out; null for a type this instance was not loaded with. */
    public TypeShape shape(int replicaOid) {
        Type type = types.get(replicaOid);
        return type == null ? null : type.shape();
    }

    /**
     * The source's OID of replica type {@code replicaOid}.
     *
     * @throws UnmappedTypeException for a user type that {@code pgcapture.types} does not list
     */
    public int toSource(int replicaOid) {
        if (!BinaryOidRewriter.isUserType(replicaOid)) {
            return replicaOid;
        }
        Type type = types.get(replicaOid);
        if (type == null || type.sourceOid() == null) {
            throw new UnmappedTypeException("type " + describe(replicaOid) + " has no source OID in pgcapture.types"
                    + " (the seed and the applier record every user type there)");
        }
        return type.sourceOid();
    }

    /**
     * Whether values of {@code replicaOid} can be sent in binary: the type and every type inside
     * it (array element, attribute, base, subtype) have a binary send function.
     */
    public boolean binarySendable(int replicaOid) {
        Boolean known = sendable.get(replicaOid);
        if (known != null) {
            return known;
        }
        Type type = types.get(replicaOid);
        if (type == null) {
            throw new IllegalArgumentException("type OID " + Integer.toUnsignedString(replicaOid) + " was not loaded");
        }
        sendable.put(replicaOid, true); // composites cannot contain themselves; this only ends a malformed cycle
        boolean result = type.hasSend() && switch (type.shape()) {
            case TypeShape.Scalar scalar -> true;
            case TypeShape.Array array -> binarySendable(array.element());
            case TypeShape.Domain domain -> binarySendable(domain.base());
            case TypeShape.Composite composite -> composite.attributes().stream().allMatch(this::binarySendable);
            case TypeShape.Range range -> binarySendable(range.subtype());
            case TypeShape.Multirange multirange -> binarySendable(multirange.range());
        };
        sendable.put(replicaOid, result);
        return result;
    }

    /** A rewriter from replica OIDs to the source's, for binary values of the loaded types. */
    public BinaryOidRewriter toSourceRewriter() {
        return new BinaryOidRewriter(this::shape, this::toSource);
    }

    /** {@code schema.name (OID n)}, for messages. */
    public String describe(int replicaOid) {
        Type type = types.get(replicaOid);
        String oid = "OID " + Integer.toUnsignedString(replicaOid);
        return type == null ? oid : type.name().quoted() + " (replica " + oid + ")";
    }
}
