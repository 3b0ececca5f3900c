package dev.pgcapture.agent.capture;

import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Type;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tables and types a {@code pgoutput} stream has described so far, keyed by OID.
 *
 * <p>PostgreSQL sends a {@link Relation} before the first change to a table in a session and
 * again after its shape changes, so a later message for an OID replaces the earlier one. Row
 * changes carry only the relation OID; {@link #relation} resolves it, and fails for an OID no
 * message has described. Not thread-safe: one thread feeds and reads it, in stream order.
 */
public final class RelationCache {

    private final Map<Long, Relation> relations = new HashMap<>();
    private final Map<Long, Type> types = new HashMap<>();

    /** Records {@code relation}, replacing whatever an earlier message said about its OID. */
    public void put(Relation relation) {
        Objects.requireNonNull(relation, "relation");
        relations.put(relation.relationOid(), relation);
    }

    /** Records {@code type}, replacing whatever an earlier message said about its OID. */
    public void put(Type type) {
        Objects.requireNonNull(type, "type");
        types.put(type.typeOid(), type);
    }

    /**
     * The latest description of a relation.
     *
     * @throws IllegalStateException naming the OID when no Relation message has described it
     */
    public Relation relation(long relationOid) {
        Relation relation = relations.get(relationOid);
        if (relation == null) {
            throw new IllegalStateException("unknown relation OID " + relationOid
                    + ": no Relation message has described it in this replication session");
        }
        return relation;
    }

    /** The latest description of a non-built-in type, if a Type message has described it. */
    public Optional<Type> type(long typeOid) {
        return Optional.ofNullable(types.get(typeOid));
    }
}
