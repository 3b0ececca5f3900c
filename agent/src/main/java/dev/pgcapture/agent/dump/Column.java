package dev.pgcapture.agent.dump;

/**
 * One column of a dumped table.
 *
 * @param name the column's name
 * @param replicaType the replica's type OID
 * @param sourceType the source's OID of the same type, which the dump's Fields carry
 * @param binary whether the type (and every type inside it) has a binary send function; when
 *     not, the value is read and sent as text
 */
record Column(String name, int replicaType, int sourceType, boolean binary) {
}
