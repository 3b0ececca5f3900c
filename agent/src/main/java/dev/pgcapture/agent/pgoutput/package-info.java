/**
 * A pure decoder for PostgreSQL's built-in {@code pgoutput} logical replication protocol:
 * {@link dev.pgcapture.agent.pgoutput.PgOutputDecoder} turns the bytes of one message into an
 * immutable {@link dev.pgcapture.agent.pgoutput.PgOutputMessage}. Catalog lookups and the
 * replication connection live elsewhere.
 */
package dev.pgcapture.agent.pgoutput;
