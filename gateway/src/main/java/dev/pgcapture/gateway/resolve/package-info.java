/**
 * How a consumer URI is resolved to its change source and dumper:
 * {@link dev.pgcapture.gateway.resolve.StaticResolver} reads pgcapture's JSON configuration, and
 * {@link dev.pgcapture.gateway.resolve.Resolvers} loads it, or a plug-in, by name through
 * {@link dev.pgcapture.gateway.resolve.SourceResolverProvider}.
 */
package dev.pgcapture.gateway.resolve;
