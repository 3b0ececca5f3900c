/**
 * Capture: turns the decoded {@code pgoutput} stream into the pgcapture messages that
 * {@code pg2pulsar} publishes. {@link dev.pgcapture.agent.capture.PgOutputMapper} does the
 * mapping, without I/O; {@link dev.pgcapture.agent.capture.RelationCache} remembers the shape
 * of every table the stream has described.
 */
package dev.pgcapture.agent.capture;
