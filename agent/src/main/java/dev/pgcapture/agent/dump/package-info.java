/**
 * The {@code Agent} gRPC service of a replica agent: page-range dumps of a logical replica
 * ({@code StreamDump}, {@code Dump}), table dumps in one snapshot ({@code TableDump}), table
 * sizes ({@code TableInfo}) and a status report ({@code Configure}); and the
 * {@link dev.pgcapture.agent.dump.DumpRegistry} through which the applier cancels dumps instead of
 * waiting for them.
 */
package dev.pgcapture.agent.dump;
