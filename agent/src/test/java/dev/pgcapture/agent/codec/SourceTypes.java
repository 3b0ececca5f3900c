package dev.pgcapture.agent.codec;

import dev.pgcapture.proto.TypeAttribute;
import dev.pgcapture.proto.TypeDescription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Type descriptions read straight from a database's catalog, as the {@code DescribeTypes} RPC
 * answers them: the requested user types and every user type they are made of.
 */
final class SourceTypes {

    /** PostgreSQL's {@code FirstNormalObjectId}: OIDs below it are built in. */
    static final long FIRST_USER_OID = 16384;

    private static final String TYPE_SQL = """
            SELECT t.typname, n.nspname, t.typtype, t.typcategory, t.typbasetype, t.typelem, t.typrelid,
                   format_type(t.oid, NULL), r.rngsubtype, mr.rngtypid
            FROM pg_type t
            JOIN pg_namespace n ON n.oid = t.typnamespace
            LEFT JOIN pg_range r ON r.rngtypid = t.oid
            LEFT JOIN pg_range mr ON mr.rngmultitypid = t.oid
            WHERE t.oid = ?""";
    private static final String ATTRIBUTES_SQL = """
            SELECT attname, atttypid FROM pg_attribute
            WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum""";
    private static final String LABELS_SQL = "SELECT enumlabel FROM pg_enum WHERE enumtypid = ? ORDER BY enumsortorder";

    private SourceTypes() {
    }

    /** Describes the user types among {@code oids}, and recursively the user types they refer to. */
    static List<TypeDescription> describe(Connection connection, Collection<Long> oids) throws SQLException {
        List<TypeDescription> described = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Deque<Long> pending = new ArrayDeque<>(oids);
        while (!pending.isEmpty()) {
            long oid = pending.pop();
            if (oid < FIRST_USER_OID || !seen.add(oid)) {
                continue;
            }
            TypeDescription type = describe(connection, oid);
            described.add(type);
            pending.add(Integer.toUnsignedLong(type.getBaseOid()));
            pending.add(Integer.toUnsignedLong(type.getElementOid()));
            type.getAttributesList().forEach(a -> pending.add(Integer.toUnsignedLong(a.getOid())));
        }
        return described;
    }

    private static TypeDescription describe(Connection connection, long oid) throws SQLException {
        TypeDescription.Builder type = TypeDescription.newBuilder().setOid((int) oid);
        long relation;
        try (PreparedStatement s = connection.prepareStatement(TYPE_SQL)) {
            s.setLong(1, oid);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalArgumentException("no type with OID " + oid);
                }
                type.setName(r.getString(1)).setSchema(r.getString(2)).setSqlName(r.getString(8));
                relation = r.getLong(7);
                switch (r.getString(3)) {
                    case "e" -> type.setKind(TypeDescription.Kind.ENUM);
                    case "d" -> type.setKind(TypeDescription.Kind.DOMAIN).setBaseOid((int) r.getLong(5));
                    case "c" -> type.setKind(TypeDescription.Kind.COMPOSITE);
                    case "r" -> type.setKind(TypeDescription.Kind.RANGE).setElementOid((int) r.getLong(9));
                    case "m" -> type.setKind(TypeDescription.Kind.MULTIRANGE).setElementOid((int) r.getLong(10));
                    case "p" -> type.setKind(TypeDescription.Kind.PSEUDO);
                    default -> {
                        if ("A".equals(r.getString(4)) && r.getLong(6) != 0) {
                            type.setKind(TypeDescription.Kind.ARRAY).setElementOid((int) r.getLong(6));
                        } else {
                            type.setKind(TypeDescription.Kind.BASE);
                        }
                    }
                }
            }
        }
        if (type.getKind() == TypeDescription.Kind.COMPOSITE) {
            try (PreparedStatement s = connection.prepareStatement(ATTRIBUTES_SQL)) {
                s.setLong(1, relation);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        type.addAttributes(TypeAttribute.newBuilder().setName(r.getString(1)).setOid((int) r.getLong(2)));
                    }
                }
            }
        }
        if (type.getKind() == TypeDescription.Kind.ENUM) {
            try (PreparedStatement s = connection.prepareStatement(LABELS_SQL)) {
                s.setLong(1, oid);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        type.addLabels(r.getString(1));
                    }
                }
            }
        }
        return type.build();
    }
}
