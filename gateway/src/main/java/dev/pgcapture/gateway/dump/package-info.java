/**
 * Dumps read from a replica agent: {@link dev.pgcapture.gateway.dump.AgentDumper}, the
 * {@link dev.pgcapture.core.SourceDumper} that calls the agent's {@code StreamDump},
 * {@code TableDump} and {@code DescribeTypes} with client-side flow control.
 */
package dev.pgcapture.gateway.dump;
