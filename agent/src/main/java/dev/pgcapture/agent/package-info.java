/**
 * The agents: {@code pg2pulsar} decodes PostgreSQL's binary {@code pgoutput} stream and
 * publishes every transaction to a Pulsar topic; {@code pulsar2pg} applies that topic to a
 * logical replica and serves dumps of it through the {@code Agent} gRPC service.
 *
 * <p>Each agent is a {@link dev.pgcapture.core.Source} wired to a {@link dev.pgcapture.core.Sink}.
 */
package dev.pgcapture.agent;
