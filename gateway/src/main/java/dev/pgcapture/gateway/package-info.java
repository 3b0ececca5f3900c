/**
 * The gateway: serves {@code DBLogGateway.Capture}, resolving each consumer's URI through a
 * {@link dev.pgcapture.core.SourceResolver} and merging its change stream with its dump chunks.
 */
package dev.pgcapture.gateway;
